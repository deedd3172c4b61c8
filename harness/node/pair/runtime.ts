import type { LoggedMessage } from "../../core/pair/index.js";

/** The few runtime routes `agtest pair` reads, with its bearer token. */
export type PairApi = {
  url: string;
  /** Waits (the quiescence route) until the agent is quiet; false when `waitMs` ran out first. */
  quiet(agent: string, waitMs: number, signal?: AbortSignal): Promise<boolean>;
  /** How many messages the agent has handled (its record's `stats.messages_in`). */
  handled(agent: string): Promise<number>;
  /** The conversations the agent received a message in, newest first. */
  conversations(agent: string): Promise<string[]>;
  /** A conversation's log, or `null` when the runtime has none under that id. */
  transcript(id: string): Promise<LoggedMessage[] | null>;
};

/**
 * `fetch` for the GETs here (all idempotent), tried again when the connection itself failed: a
 * kept-alive socket that workerd closed between two requests is reset on reuse ("fetch failed").
 */
async function fetchAgain(input: string, init: RequestInit, attempts = 3): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(input, init);
    } catch (error) {
      if (attempt >= attempts || init.signal?.aborted || !(error instanceof TypeError)) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new Error(
          `GET ${input}: ${error instanceof Error ? error.message : String(error)}${cause ? ` (${cause.code ?? cause.message})` : ""}`,
        );
      }
    }
  }
}

/** The longest single wait the quiescence route grants (worker/host/quiet.ts). */
const MAX_WAIT_MS = 30_000;

/** A {@link PairApi} over the runtime at `url`. */
export function pairApi(url: string, token: string): PairApi {
  const headers = { authorization: `Bearer ${token}` };
  async function get<T>(path: string, signal?: AbortSignal, allow404 = false): Promise<T | null> {
    const res = await fetchAgain(`${url}${path}`, { headers, ...(signal ? { signal } : {}) });
    if (allow404 && res.status === 404) return null;
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text().catch(() => "")}`);
    return (await res.json()) as T;
  }
  const agent = (name: string) => `/v1/agents/${encodeURIComponent(name)}`;
  return {
    url,
    async quiet(name, waitMs, signal) {
      const wait = Math.max(0, Math.min(MAX_WAIT_MS, Math.round(waitMs)));
      return (await get<{ quiet: boolean }>(`${agent(name)}/quiet?wait=${wait}`, signal))?.quiet === true;
    },
    async handled(name) {
      return (await get<{ stats: { messages_in: number } }>(agent(name)))?.stats.messages_in ?? 0;
    },
    async conversations(name) {
      return (await get<{ conversations: string[] }>(`${agent(name)}/conversations`))?.conversations ?? [];
    },
    async transcript(id) {
      const body = await get<{ messages: LoggedMessage[] }>(
        `/v1/conversations/${encodeURIComponent(id)}`,
        undefined,
        true,
      );
      return body?.messages ?? null;
    },
  };
}

/**
 * Waits until every agent in `agents` is quiet and stays so: rounds of the quiescence route over
 * all of them until a round in which each was quiet and none handled a message since the round
 * before (a message one agent sends lands in another's mailbox before the sender is quiet, so an
 * unchanged count after a full quiet round means nothing is left in flight). Returns the agent
 * that did not fall quiet within `timeout` ms, or `null`. No fixed sleep: every wait ends on the
 * runtime's word.
 */
export async function settle(
  api: PairApi,
  agents: readonly string[],
  timeout: number,
  signal?: AbortSignal,
): Promise<string | null> {
  const deadline = performance.now() + timeout;
  let before = -1;
  for (;;) {
    for (const agent of agents) {
      if (!(await api.quiet(agent, Math.max(0, deadline - performance.now()), signal))) return agent;
    }
    const handled = (await Promise.all(agents.map((a) => api.handled(a)))).reduce((a, b) => a + b, 0);
    if (handled === before) return null;
    before = handled;
  }
}
