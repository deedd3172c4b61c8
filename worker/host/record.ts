import * as z from "zod";
import { LimitsSchema } from "../limits.js";

/** Lifecycle states (ARCHITECTURE.md). */
export const AGENT_STATES = ["loaded", "running", "draining", "stopped", "failed"] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/** Why an agent was terminated. */
export const TERMINATION_REASONS = [
  "MemoryLimitExceeded",
  "CpuLimitExceeded",
  "CrashLoop",
  "InitFailed",
  "RoutingLimitExceeded",
] as const;
export type TerminationReason = (typeof TERMINATION_REASONS)[number];

/** A service an agent registers in its manifest (directory facilitator entry). */
export const ServiceSchema = z
  .object({
    name: z.string().min(1).max(128),
    type: z.string().min(1).max(128).optional(),
    protocols: z.array(z.string().min(1).max(128)).max(32).optional(),
    ontologies: z.array(z.string().min(1).max(128)).max(32).optional(),
  })
  .strict();
export type ServiceEntry = z.infer<typeof ServiceSchema>;

/** Counters kept per agent. */
export const StatsSchema = z.object({
  messages_in: z.number().int(),
  messages_out: z.number().int(),
  failures: z.number().int(),
  traps: z.number().int(),
  fuel_used: z.number(),
  /**
   * Sends that were refused: `send` returned negative (invalid, too large, over the per-message
   * count), not a routable FIPA message, or refused by a routing limit (the delivery budget, a
   * full conversation).
   */
  rejected_sends: z.number().int(),
  /** Times the agent's next message was held back because it caused more deliveries than its `send_rate_per_sec`. */
  throttled: z.number().int(),
  /** Messages waiting in the mailbox. */
  mailbox_depth: z.number().int(),
  last_message_at: z.string().nullable(),
});
export type AgentStats = z.infer<typeof StatsSchema>;

/** The agent record returned by the API. */
export const AgentRecordSchema = z.object({
  name: z.string(),
  version: z.number().int(),
  state: z.enum(AGENT_STATES),
  termination_reason: z.enum(TERMINATION_REASONS).nullable(),
  /** Human-readable detail of the last termination (the trap message). */
  termination_detail: z.string().nullable(),
  limits: LimitsSchema.required(),
  services: z.array(ServiceSchema),
  egress: z.array(z.string()),
  module: z.object({
    bytes: z.number().int(),
    instrumented_bytes: z.number().int(),
    sha256: z.string(),
    has_init: z.boolean(),
  }),
  stats: StatsSchema,
  created_at: z.string(),
  updated_at: z.string(),
});
export type AgentRecord = z.infer<typeof AgentRecordSchema>;

/** What a deploy or reload hands to the host (already validated and instrumented). */
export type ModuleUpload = {
  /** The instrumented module. */
  bytes: ArrayBuffer;
  originalBytes: number;
  sha256: string;
  hasInit: boolean;
};

/** Fresh counters. */
export function emptyStats(): AgentStats {
  return {
    messages_in: 0,
    messages_out: 0,
    failures: 0,
    traps: 0,
    fuel_used: 0,
    rejected_sends: 0,
    throttled: 0,
    mailbox_depth: 0,
    last_message_at: null,
  };
}
