import * as z from "zod";
import { newMessageId } from "../../../protocol/index.js";
import type { AgentLogLine, AgentLogs, Channel, Delivery } from "../channel.js";
import { AgentUnreachable } from "../errors.js";
import { Inbox } from "../inbox.js";
import { httpChannel } from "./http.js";
import { causeOf, errorMessage, postMessage, retrying } from "./post.js";
import { openRelaySession, type RelaySession } from "./relay.js";
import type { Quietness } from "../silence.js";

/** Options of {@link openRuntimeChannel}. */
export type RuntimeChannelOptions = {
  /** The runtime's base URL. */
  url: string;
  token: string;
  /** The hosted agent's name. */
  agent: string;
  /** The harness's address in wait mode (default `agtest`); relay mode uses the session's. */
  name?: string;
  /**
   * Receive through the runtime's agtalk relay (full duplex: every message the agent sends us);
   * `auto` (default) uses it when the runtime has one, else `?wait=` mode (only the first reply
   * to each message comes back).
   */
  relay?: boolean | "auto";
  /** `?wait=` in ms for wait mode (default 5 s). */
  wait?: number;
  fetch?: typeof fetch;
};

/**
 * A channel to an agent hosted on an agtest runtime, through its `/v1/messages` route. Sending
 * is the same in both modes; only how replies come back differs, and that is decided here once.
 */
export async function openRuntimeChannel(options: RuntimeChannelOptions): Promise<Channel> {
  const { url, token, agent, name = "agtest", relay = "auto", wait = 5_000, fetch: fetcher = fetch } = options;
  const root = url.replace(/\/+$/, "");
  const inbox = new Inbox();
  const headers = { authorization: `Bearer ${token}` };
  // 401/403: a wrong token, 404: no such agent: nothing a test could pass.
  const fatal = (status: number) => status === 401 || status === 403 || status === 404;
  let session: RelaySession | undefined;
  if (relay !== false) {
    session = await openRelaySession({ url: root, token, inbox, fetch: fetcher });
    if (session !== undefined && !(await relays(root, headers, session.name, inbox, fetcher))) {
      await session.close();
      session = undefined;
      if (relay === true)
        throw new AgentUnreachable(`the runtime at ${root} does not route messages to its agtalk relay sessions`);
    }
    if (session === undefined && relay === true)
      throw new AgentUnreachable(`the runtime at ${root} has no agtalk relay`);
  }
  if (session !== undefined) {
    const s = session;
    const channel = httpChannel({
      endpoint: `${root}/v1/messages`,
      agent,
      name: s.name,
      inbox,
      fetch: fetcher,
      onClose: () => s.close(),
    });
    return {
      ...channel,
      kind: "embedded",
      // The session's inbox URL is built from the URL the runtime was called by: reachable by the
      // runtime's own egress only when that is a real address, not an in-process stand-in (custom fetch).
      http: { endpoint: inboxOf(root, agent), ...(options.fetch ? {} : { replyUrl: s.inbox_url }), fetch: fetcher },
      async send(message): Promise<Delivery> {
        return (await postMessage(`${root}/v1/messages`, message, { inbox, headers, fetch: fetcher, fatal })).delivery;
      },
      quiet: quietness({ root, agent, headers, fetch: fetcher, session: s }),
      logs: agentLogs({ root, agent, headers, fetch: fetcher }),
    };
  }
  const closing = new AbortController();
  const abortable: typeof fetch = (input, init) => fetcher(input, { ...init, signal: closing.signal });
  return {
    kind: "embedded",
    name,
    agent,
    inbox,
    http: { endpoint: inboxOf(root, agent), fetch: fetcher },
    logs: agentLogs({ root, agent, headers, fetch: fetcher }),
    async send(message): Promise<Delivery> {
      // The runtime answers once the first reply is in or `wait` ran out. Refusals come at once;
      // past a short grace the send counts as sent and the reply, if any, joins the inbox later.
      const posting = postMessage(`${root}/v1/messages?wait=${wait}`, message, {
        inbox,
        headers,
        fetch: abortable,
        fatal,
      });
      const early = await Promise.race([posting, sleep(GRACE_MS)]);
      if (early !== undefined)
        return early.delivery.status === "sent" ? { status: "sent", complete: true } : early.delivery;
      posting.catch((error: unknown) => {
        if (error instanceof AgentUnreachable && !closing.signal.aborted) inbox.close(error);
      });
      return { status: "sent" };
    },
    async close() {
      closing.abort();
    },
  };
}

/** The runtime's quiescence route (`GET /v1/agents/:name/quiet`), as a channel's `quiet`. */
function quietness(options: {
  root: string;
  agent: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
  session: RelaySession;
}) {
  const { root, agent, headers, fetch: fetcher, session } = options;
  const url = `${root}/v1/agents/${encodeURIComponent(agent)}/quiet`;
  let supported = true;
  return async function quiet({ timeout, signal }: { timeout: number; signal?: AbortSignal }): Promise<Quietness> {
    if (!supported) return { status: "unknown" };
    const deadline = Date.now() + timeout;
    for (;;) {
      const wait = Math.max(0, Math.min(MAX_QUIET_WAIT_MS, deadline - Date.now()));
      let res: Response;
      try {
        res = await retrying(fetcher, `${url}?wait=${wait}`, { headers, ...(signal ? { signal } : {}) });
      } catch (error) {
        if (signal?.aborted) return { status: "unknown" };
        throw new AgentUnreachable(`cannot reach ${url}: ${causeOf(error)}`);
      }
      const body: unknown = await res.json().catch(() => undefined);
      // A runtime without the route (older than it): silence falls back to the adaptive window.
      if (res.status === 404 && errorMessage(body)?.startsWith("NOT_FOUND")) {
        supported = false;
        return { status: "unknown" };
      }
      const state = QuietBody.safeParse(body);
      if (!res.ok || !state.success)
        throw new AgentUnreachable(
          `${url} answered HTTP ${res.status}: ${errorMessage(body) ?? "not a quiescence state"}`,
        );
      if (state.data.quiet) {
        // Quiet means routed: what the agent said is in the relay session; bring it all in.
        await session.sync();
        return { status: "quiet" };
      }
      if (Date.now() >= deadline || signal?.aborted) {
        const { mailbox, retrying, timers, state: agentState } = state.data;
        return {
          status: "busy",
          detail: `agent ${agentState}, ${mailbox} message(s) in its mailbox (${retrying} awaiting a retry), ${timers} timer(s) pending`,
        };
      }
    }
  };
}

/**
 * The agent's log through `GET /v1/agents/:name/logs`. Reading it is a diagnostic: a runtime
 * without the route, or a failed read, gives no lines rather than failing the run.
 */
function agentLogs(options: {
  root: string;
  agent: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
}): AgentLogs {
  const { root, agent, headers, fetch: fetcher } = options;
  const url = `${root}/v1/agents/${encodeURIComponent(agent)}/logs`;
  let supported = true;
  let seen = 0;
  const page = async (after: number, limit: number): Promise<AgentLogLine[]> => {
    if (!supported) return [];
    try {
      const res = await retrying(fetcher, `${url}?after=${after}&limit=${limit}`, { headers });
      const body = LogsBody.safeParse(await res.json().catch(() => undefined));
      if (res.status === 404 || !body.success) {
        supported = res.status !== 404;
        return [];
      }
      return body.data.logs;
    } catch {
      return [];
    }
  };
  return {
    async cursor() {
      // Forward from the last cursor: usually one short page (the ring holds 1,000 lines).
      for (;;) {
        const lines = await page(seen, LOG_PAGE);
        const last = lines.at(-1);
        if (last === undefined) return seen;
        seen = Math.max(seen, last.seq);
        if (lines.length < LOG_PAGE) return seen;
      }
    },
    since: (after, limit) => page(after, Math.min(limit, LOG_PAGE)),
  };
}

/** The runtime's page size of `GET /v1/agents/:name/logs`. */
const LOG_PAGE = 500;

const LogsBody = z.object({
  logs: z.array(z.object({ seq: z.number(), at: z.string(), level: z.string(), text: z.string() })),
});

/** The longest `?wait=` of one quiescence request (the runtime's maximum). */
const MAX_QUIET_WAIT_MS = 30_000;

const QuietBody = z.object({
  quiet: z.boolean(),
  state: z.string(),
  mailbox: z.number(),
  retrying: z.number(),
  timers: z.number(),
});

/** A hosted agent's public HTTP transport. */
function inboxOf(root: string, agent: string): string {
  return `${root}/v1/agents/${encodeURIComponent(agent)}/inbox`;
}

/** How long `send` waits for the runtime's answer before letting the test go on. */
const GRACE_MS = 250;

function sleep(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms));
}

/**
 * Whether a message routed to the session's address (what a hosted agent's reply is) comes out
 * of the session: a relay that accepts sessions but does not route to them must not be used.
 */
async function relays(
  root: string,
  headers: Record<string, string>,
  address: string,
  inbox: Inbox,
  fetcher: typeof fetch,
): Promise<boolean> {
  const conversation = `c-agtest-relay-check-${crypto.randomUUID()}`;
  const check = {
    performative: "inform",
    sender: address,
    receiver: address,
    ontology: "agtest-relay-check",
    content: "relay check",
    conversation_id: conversation,
    message_id: newMessageId(),
  };
  const { delivery } = await postMessage(`${root}/v1/messages`, check, { inbox, headers, fetch: fetcher });
  const arrived =
    delivery.status === "sent" &&
    (await inbox.take((i) => i.ok && i.message.conversation_id === conversation, { timeout: 2_000 })) !== undefined;
  inbox.ignore(conversation);
  return arrived;
}
