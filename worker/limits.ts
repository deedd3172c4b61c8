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
    state_bytes: z.number().int().min(0),
  })
  .partial()
  .strict();

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
