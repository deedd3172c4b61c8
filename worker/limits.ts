import * as z from "zod";

/** Per-agent limits, in the units the runtime enforces them (ARCHITECTURE.md, "Limits"). */
export type AgentLimits = {
  /** Linear memory cap; the module's memory maximum is capped to it at deploy. */
  memory_bytes: number;
  /** Largest message the agent may receive or emit. */
  message_bytes: number;
  /** Largest module the agent may be deployed with. */
  module_bytes: number;
  /** Fuel budget for one message (function entries and loop headers, weighted by their size). */
  fuel: number;
  /** Wall-clock CPU limit of the agent's isolate at the edge (`limits.cpuMs` of the Dynamic Worker). */
  cpu_ms: number;
  /**
   * Messages per second the agent's mailbox takes in (a token bucket refilled at this rate, holding
   * {@link BURST_SECONDS} seconds' worth); beyond it senders get `429` or a `failure` bounce.
   */
  rate_per_sec: number;
  /**
   * Messages that may wait in the agent's mailbox; beyond it senders are told to back off
   * (`429 RATE_LIMITED` over HTTP, a `failure` bounce to agents) and nothing is stored.
   */
  mailbox_depth: number;
  /**
   * Deliveries per second the agent may cause (each receiver of each message it emits, and each
   * bounce they cause, is one delivery): a token bucket holding {@link BURST_SECONDS} seconds of
   * it. An agent past it is slowed: its next message waits until the bucket is out of debt.
   */
  send_rate_per_sec: number;
  /**
   * Deliveries one handled message may cause (sends × receivers, bounces included). What is over
   * it is refused and counted in `stats.rejected_sends`; repeated refusals end the agent
   * (`RoutingLimitExceeded`).
   */
  deliveries_per_message: number;
  /** Durable agents: bytes of key-value state (keys + values) the agent may keep (`state_put`). */
  state_bytes: number;
};

const MiB = 1024 * 1024;
const PAGE = 64 * 1024;

/**
 * Fuel worth roughly 50 ms of work on a current x86 core: `npm run bench` measured about 10 M fuel
 * per millisecond on the `cpu-burn` fixture, and `spin` exhausts this budget in about 40 ms.
 */
export const DEFAULT_FUEL = 500_000_000;

/**
 * Durable agents (ARCHITECTURE.md, "Durable agents"): the default state quota. Records stored
 * before the quota existed lack it; the host falls back to this.
 */
export const DEFAULT_STATE_BYTES = 1 * MiB;

/** Defaults for an agent whose manifest says nothing. */
export const DEFAULT_LIMITS: AgentLimits = {
  memory_bytes: 16 * MiB,
  message_bytes: 256 * 1024,
  module_bytes: 8 * MiB,
  fuel: DEFAULT_FUEL,
  cpu_ms: 50,
  rate_per_sec: 100,
  mailbox_depth: 1000,
  send_rate_per_sec: 100,
  deliveries_per_message: 256,
  state_bytes: DEFAULT_STATE_BYTES,
};

/** The runtime's maxima: a manifest may lower any limit, and raise it up to these. */
export const MAX_LIMITS: AgentLimits = {
  memory_bytes: 128 * MiB,
  message_bytes: 1 * MiB,
  module_bytes: 8 * MiB,
  fuel: DEFAULT_FUEL * 10,
  cpu_ms: 500,
  rate_per_sec: 1000,
  mailbox_depth: 10_000,
  send_rate_per_sec: 1000,
  deliveries_per_message: 1024,
  state_bytes: 64 * MiB,
};

/** The rate limiter's bucket holds this many seconds of an agent's `rate_per_sec` (the burst). */
export const BURST_SECONDS = 2;

/** Limits as a manifest states them: any subset, each a positive integer. */
export const LimitsSchema = z
  .object({
    memory_bytes: z.number().int().min(PAGE),
    message_bytes: z.number().int().min(1024),
    module_bytes: z.number().int().min(8),
    fuel: z.number().int().min(1000),
    cpu_ms: z.number().int().min(1),
    rate_per_sec: z.number().int().min(1),
    mailbox_depth: z.number().int().min(1),
    send_rate_per_sec: z.number().int().min(1),
    deliveries_per_message: z.number().int().min(1),
    state_bytes: z.number().int().min(0),
  })
  .partial()
  .strict();

/** Each limit of a record, with the default for a key an older record does not have. */
export function limitsOf(stored: Partial<AgentLimits>): AgentLimits {
  return { ...DEFAULT_LIMITS, ...stored };
}

/**
 * Limits of the runtime itself, the same for every agent (README, "Limits"): what one
 * conversation may hold, how long it is kept, what an external agent may answer, how far a
 * message may travel. Anonymous clients can create conversations, so they are bounded and expire.
 */
export const RUNTIME_LIMITS = {
  /** Messages one conversation log holds; beyond it messages in it are refused (`413`, not stored). */
  conversation_messages: 10_000,
  /** Bytes of messages one conversation log holds; beyond it, as above. */
  conversation_bytes: 32 * MiB,
  /** A conversation with no new message for this long is deleted (retention). */
  conversation_idle_ms: 7 * 24 * 3600 * 1000,
  /** Largest response body read from an external agent the runtime POSTed to. */
  egress_response_bytes: 256 * 1024,
  /** Messages taken from one such response. */
  egress_answers: 16,
  /** Receivers of one message posted over HTTP. */
  http_receivers: 64,
  /** Deepest JSON nesting any route reads (message content may nest 128 levels). */
  json_depth: 160,
  /** Handled messages with a send refused by a routing limit, within a minute, that end the agent. */
  routing_strikes: 10,
} as const;

/** Merges a manifest's limits over the defaults; returns the key that exceeds a maximum, if any. */
export function resolveLimits(
  requested: z.infer<typeof LimitsSchema> = {},
): { ok: true; limits: AgentLimits } | { ok: false; key: keyof AgentLimits; max: number } {
  const limits = { ...DEFAULT_LIMITS, ...requested };
  for (const key of Object.keys(MAX_LIMITS) as (keyof AgentLimits)[]) {
    if (limits[key] > MAX_LIMITS[key]) return { ok: false, key, max: MAX_LIMITS[key] };
  }
  return { ok: true, limits };
}

/** The memory limit in 64 KiB WebAssembly pages (rounded down). */
export function memoryPages(limits: AgentLimits): number {
  return Math.floor(limits.memory_bytes / PAGE);
}
