import * as z from "zod";
import { AgentUnreachable } from "../errors.js";
import { inboundFromValue, type Inbox } from "../inbox.js";
import { causeOf, errorMessage } from "./post.js";

const Session = z.object({ id: z.string().min(1), name: z.string().min(1), inbox_url: z.string().url() });
const Batch = z.object({ messages: z.array(z.object({ seq: z.number(), message: z.unknown() })), next: z.number() });

/** An agtalk relay session on the edge runtime: an address, a public inbox URL, and a poller. */
export type RelaySession = {
  id: string;
  /** The session's address (`agtalk-<id>`): hosted agents on that runtime can send to it. */
  name: string;
  /** A capability URL external agents POST messages to. */
  inbox_url: string;
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
    res = await fetcher(`${root}/v1/agtalk/sessions`, { method: "POST", headers });
  } catch (error) {
    throw new AgentUnreachable(`cannot reach the relay at ${root}: ${causeOf(error)}`);
  }
  if (res.status === 404 || res.status === 405) return undefined;
  const body: unknown = await res.json().catch(() => undefined);
  if (res.status !== 201) throw new AgentUnreachable(`the relay at ${root} refused a session: HTTP ${res.status} ${errorMessage(body) ?? ""}`.trim());
  const parsed = Session.safeParse(body);
  if (!parsed.success) throw new AgentUnreachable(`the relay at ${root} answered a session without id, name and inbox_url`);
  const session = parsed.data;
  const stop = new AbortController();
  const base = `${root}/v1/agtalk/sessions/${encodeURIComponent(session.id)}`;

  const poll = async () => {
    let after = 0;
    let failures = 0;
    while (!stop.signal.aborted) {
      try {
        const r = await fetcher(`${base}/messages?after=${after}&wait=${wait}`, { headers, signal: stop.signal });
        if (r.status === 404) throw new AgentUnreachable(`the relay session ${session.id} is gone`);
        const batch = Batch.parse(await r.json());
        for (const { message } of batch.messages) inbox.push(inboundFromValue(message, "relay"));
        after = batch.next;
        failures = 0;
      } catch (error) {
        if (stop.signal.aborted) return;
        if (error instanceof AgentUnreachable || ++failures >= MAX_FAILURES) {
          inbox.close(error instanceof AgentUnreachable ? error : new AgentUnreachable(`the relay at ${root} stopped answering: ${causeOf(error)}`));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** failures)));
      }
    }
  };
  const polling = poll();
  return {
    ...session,
    async close() {
      stop.abort();
      await polling;
      await fetcher(base, { method: "DELETE", headers }).catch(() => undefined);
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
