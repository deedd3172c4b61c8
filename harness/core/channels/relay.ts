import * as z from "zod";
import { AgentUnreachable } from "../errors.js";
import { inboundFromValue, type Inbox } from "../inbox.js";
import { causeOf, errorMessage, retrying } from "./post.js";

const Session = z.object({ id: z.string().min(1), name: z.string().min(1), inbox_url: z.string().url() });
const Batch = z.object({ messages: z.array(z.object({ seq: z.number(), message: z.unknown() })), next: z.number() });

/** An agtalk relay session on the edge runtime: an address, a public inbox URL, and a poller. */
export type RelaySession = {
  id: string;
  /** The session's address (`agtalk-<id>`): hosted agents on that runtime can send to it. */
  name: string;
  /** A capability URL external agents POST messages to. */
  inbox_url: string;
  /**
   * Reads what the session holds now, without waiting, into the inbox (what the long-poll has
   * not brought yet): after the runtime says an agent is quiet, everything it sent is then in.
   */
  sync(): Promise<void>;
  /** Stops polling and deletes the session. */
  close(): Promise<void>;
};

/** Options of {@link openRelaySession}. */
export type RelayOptions = {
  /** The runtime's base URL. */
  url: string;
  token: string;
  /** Where polled messages go. */
  inbox: Inbox;
  /** Long-poll wait per request in ms (default 10 s). */
  wait?: number;
  fetch?: typeof fetch;
};

/** Consecutive failed polls after which the relay counts as gone. */
const MAX_FAILURES = 6;

/**
 * Opens an agtalk relay session (`POST /v1/agtalk/sessions`) and long-polls its messages into
 * `inbox` until closed; `undefined` when the runtime has no relay (404). For runners that cannot
 * accept inbound connections (CI): the relay accepts for them.
 */
export async function openRelaySession(options: RelayOptions): Promise<RelaySession | undefined> {
  const { url, token, inbox, wait = 10_000, fetch: fetcher = fetch } = options;
  const root = url.replace(/\/+$/, "");
  const headers = { authorization: `Bearer ${token}` };
  let res: Response;
  try {
    // A retry after a broken connection at worst leaves an unused session behind.
    res = await retrying(fetcher, `${root}/v1/agtalk/sessions`, { method: "POST", headers });
  } catch (error) {
    throw new AgentUnreachable(`cannot reach the relay at ${root}: ${causeOf(error)}`);
  }
  if (res.status === 404 || res.status === 405) return undefined;
  const body: unknown = await res.json().catch(() => undefined);
  if (res.status !== 201)
    throw new AgentUnreachable(
      `the relay at ${root} refused a session: HTTP ${res.status} ${errorMessage(body) ?? ""}`.trim(),
    );
  const parsed = Session.safeParse(body);
  if (!parsed.success)
    throw new AgentUnreachable(`the relay at ${root} answered a session without id, name and inbox_url`);
  const session = parsed.data;
  const stop = new AbortController();
  const base = `${root}/v1/agtalk/sessions/${encodeURIComponent(session.id)}`;

  // The highest seq pushed to the inbox: the long-poll and `sync` share it, so none is pushed twice.
  let delivered = 0;
  const read = async (wait: number, signal?: AbortSignal) => {
    const r = await retrying(fetcher, `${base}/messages?after=${delivered}&wait=${wait}`, {
      headers,
      ...(signal ? { signal } : {}),
    });
    if (r.status === 404) throw new AgentUnreachable(`the relay session ${session.id} is gone`);
    const batch = Batch.parse(await r.json());
    for (const { seq, message } of batch.messages) {
      if (seq <= delivered) continue;
      delivered = seq;
      inbox.push(inboundFromValue(message, "relay"));
    }
  };
  const poll = async () => {
    let failures = 0;
    while (!stop.signal.aborted) {
      try {
        await read(wait, stop.signal);
        failures = 0;
      } catch (error) {
        if (stop.signal.aborted) return;
        if (error instanceof AgentUnreachable || ++failures >= MAX_FAILURES) {
          inbox.close(
            error instanceof AgentUnreachable
              ? error
              : new AgentUnreachable(`the relay at ${root} stopped answering: ${causeOf(error)}`),
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** failures)));
      }
    }
  };
  const polling = poll();
  return {
    ...session,
    async sync() {
      await read(0);
    },
    async close() {
      stop.abort();
      await polling;
      await retrying(fetcher, base, { method: "DELETE", headers }).catch(() => undefined);
    },
  };
}

/** Options of {@link openRelayChannel}. */
export type RelayChannelOptions = {
  /** The runtime hosting the relay. */
  relay: string;
  token: string;
  /** The agent's HTTP endpoint, where messages are POSTed. */
  endpoint: string;
  /** The agent's address. */
  agent: string;
  fetch?: typeof fetch;
};
