import { Inbox, inboundFromValue } from "./inbox.js";
import type { Quietness } from "./silence.js";

/**
 * What became of one sent message. `refused`: the transport or the agent turned it down before
 * handling it (an HTTP 4xx, the runtime's `INVALID_MESSAGE`), with the reason it gave.
 * `complete`: the channel knows the agent has finished with the message and every reply it will
 * ever relay for it is already in the inbox (the runtime's `?wait=` answer), so nobody needs to
 * wait for more.
 */
export type Delivery =
  | { status: "sent"; complete?: boolean }
  /** `httpStatus`: the HTTP status of the refusal, when the transport is HTTP. */
  | { status: "refused"; reason: string; httpStatus?: number };

/**
 * What a channel knows of the agent's HTTP transport, for `transports.http` tests: the agent's
 * endpoint, a URL that lands in the channel's inbox (a loopback server, a relay session's inbox)
 * and that the agent, or its runtime, can reach, and the `fetch` to reach the endpoint with.
 */
export type HttpAccess = { endpoint?: string; replyUrl?: string; fetch?: typeof fetch };

/**
 * How the harness, acting as an agent itself, talks to the tested agent (HIPE 0015's transport
 * adapters). Implementations: the embedded runtime, direct HTTP, agtalk folders, the edge relay,
 * and {@link memoryChannel} for tests.
 */
export interface Channel {
  /** `embedded`, `http`, `agtalk`, `relay`, `memory`: shown in reports. */
  readonly kind: string;
  /** The harness's own address as the agent sees it: the `sender` of what tests send. */
  readonly name: string;
  /** Where replies should go when that is not `name` (a loopback URL, a relay inbox). */
  readonly replyTo?: string;
  /** The tested agent's address: the `receiver` of what tests send, the `sender` expected back. */
  readonly agent: string;
  /** Messages addressed to the harness, in arrival order. */
  readonly inbox: Inbox;
  /** The agent's HTTP transport, when this channel knows it. */
  readonly http?: HttpAccess;
  /**
   * Sends one message. Any JSON value goes (tests send deliberately broken messages). Throws
   * `AgentUnreachable` when the agent cannot be reached at all.
   */
  send(message: unknown): Promise<Delivery>;
  /**
   * Waits up to `timeout` ms until the agent has nothing more to say and everything it said is in
   * {@link inbox} (a hosted agent: the runtime's quiescence). Absent when the channel cannot know:
   * silence is then judged by the adaptive window.
   */
  quiet?(options: { timeout: number; signal?: AbortSignal }): Promise<Quietness>;
  /**
   * The agent's own log (what it wrote with `agent.log`, and its traps), when the channel can read
   * it (a hosted agent: `GET /v1/agents/:name/logs`): the runner keeps the lines of each failing test.
   */
  readonly logs?: AgentLogs;
  /** Stops receiving and frees what the channel holds (servers, sessions, watchers). */
  close(): Promise<void>;
}

/** One line of a hosted agent's log, as the runtime serves it. */
export type AgentLogLine = { seq: number; at: string; level: string; text: string };

/** Reading an agent's log from a cursor on. */
export type AgentLogs = {
  /** The cursor past every line written so far. */
  cursor(): Promise<number>;
  /** Lines after `after`, oldest first, at most `limit`. */
  since(after: number, limit: number): Promise<AgentLogLine[]>;
};

/** A fake agent for {@link memoryChannel}: gets each message (a JSON copy) and a way to answer. */
export type MemoryAgent = (message: unknown, send: (message: unknown) => void) => void | Promise<void>;

/** Options of {@link memoryChannel}. */
export type MemoryChannelOptions = {
  /** The agent's address (default `agent`). */
  agent?: string;
  /** The harness's address (default `agtest`). */
  name?: string;
  /** Turns a message down before the agent sees it (like the runtime's validation); return why. */
  refuse?: (message: unknown) => string | undefined;
  /**
   * Whether the channel knows when the agent is quiet (default true: every message it was given
   * has been handled), like a hosted agent's runtime; false tests the adaptive silence window.
   */
  quiescence?: boolean;
};

/**
 * A channel to an agent that lives in this process: messages cross as JSON copies, and the
 * agent runs after `send` returns, as a real remote agent would. For testing suites and the
 * runner without a network.
 */
export function memoryChannel(agent: MemoryAgent, options: MemoryChannelOptions = {}): Channel {
  const { agent: address = "agent", name = "agtest", refuse, quiescence = true } = options;
  const inbox = new Inbox();
  let closed = false;
  // Messages given to the agent that it has not finished handling, and who waits for none.
  let busy = 0;
  const idle = new Set<() => void>();
  const deliver = (message: unknown) => {
    if (!closed) inbox.push(inboundFromValue(JSON.parse(JSON.stringify(message)) as unknown, "memory"));
  };
  return {
    kind: "memory",
    name,
    agent: address,
    inbox,
    async send(message) {
      const reason = refuse?.(message);
      if (reason !== undefined) return { status: "refused", reason };
      const copy = JSON.parse(JSON.stringify(message)) as unknown;
      busy++;
      setTimeout(() => {
        void Promise.resolve()
          .then(() => agent(copy, deliver))
          .catch(() => undefined)
          .finally(() => {
            if (--busy === 0) for (const wake of [...idle]) wake();
          });
      }, 0);
      return { status: "sent" };
    },
    ...(quiescence
      ? {
          async quiet({ timeout, signal }: { timeout: number; signal?: AbortSignal }): Promise<Quietness> {
            if (busy > 0) {
              await new Promise<void>((resolve) => {
                const done = () => {
                  clearTimeout(timer);
                  idle.delete(done);
                  signal?.removeEventListener("abort", done);
                  resolve();
                };
                const timer = setTimeout(done, timeout);
                idle.add(done);
                signal?.addEventListener("abort", done, { once: true });
              });
            }
            return busy === 0 ? { status: "quiet" } : { status: "busy", detail: `${busy} message(s) not handled yet` };
          },
        }
      : {}),
    async close() {
      closed = true;
    },
  };
}
