import { Inbox, inboundFromValue } from "./inbox.js";

/**
 * What became of one sent message. `refused`: the transport or the agent turned it down before
 * handling it (an HTTP 4xx, the runtime's `INVALID_MESSAGE`), with the reason it gave.
 * `complete`: the channel knows the agent has finished with the message and every reply it will
 * ever relay for it is already in the inbox (the runtime's `?wait=` answer), so nobody needs to
 * wait for more.
 */
export type Delivery = { status: "sent"; complete?: boolean } | { status: "refused"; reason: string };

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
  /** Stops receiving and frees what the channel holds (servers, sessions, watchers). */
  close(): Promise<void>;
}

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
};

/**
 * A channel to an agent that lives in this process: messages cross as JSON copies, and the
 * agent runs after `send` returns, as a real remote agent would. For testing suites and the
 * runner without a network.
 */
export function memoryChannel(agent: MemoryAgent, options: MemoryChannelOptions = {}): Channel {
  const { agent: address = "agent", name = "agtest", refuse } = options;
  const inbox = new Inbox();
  let closed = false;
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
      setTimeout(() => void Promise.resolve(agent(copy, deliver)).catch(() => undefined), 0);
      return { status: "sent" };
    },
    async close() {
      closed = true;
    },
  };
}
