/**
 * What crosses the boundary between the host (`worker/sandbox/index.ts`) and the glue that runs in
 * each agent's isolate (`isolate/entry.ts`): the call options, the callbacks, and the outcome of a
 * call. Types only, so both sides compile against one definition.
 */

/** A log line written by the agent with `agent.log`. */
export type AgentLog = { level: number; text: string };

/** One 64 KiB page of linear memory. */
export type MemoryPage = { index: number; data: Uint8Array };

/** What a handled message changed (durable agents): committed by the host with the message. */
export type DurableChanges = {
  /** The token of the checkpoint these changes make. */
  token: string;
  /** Pages that differ from the previous checkpoint, the memory size in pages, the mutable globals. */
  memory: { pages: MemoryPage[]; size: number; globals: Uint8Array };
  /** State writes, in order; `null` deletes. */
  writes: [string, Uint8Array | null][];
  timers: { delay_ms: number; tag: string }[];
};

/**
 * A whole checkpoint, sent to an isolate that must restore it: `count` pages in all, of which the
 * first batch is in `pages` (an RPC message is at most 32 MiB); the isolate pulls the rest.
 */
export type Checkpoint = {
  token: string;
  size: number;
  count: number;
  pages: MemoryPage[];
  globals: Uint8Array;
  state: [string, Uint8Array][];
};

/** Pages per RPC batch, both ways (256 pages = 16 MiB, well under the 32 MiB of one RPC message). */
export const BATCH_PAGES = 256;

/**
 * Why a call failed, as the glue (or, for an isolate that died, the host) tells it:
 * - `cpu`: the fuel ran out (in the module or in a host call), or the edge's CPU limit ended the isolate;
 * - `memory`: `memory.grow` failed before the trap, memory could not be allocated (instantiating,
 *   restoring a checkpoint), or the edge's memory limit ended the isolate;
 * - `trap`: any other failure of the agent (a wasm trap, `abort`, `proc_exit`, `init` returning
 *   non-zero, a pointer out of bounds, `alloc` returning 0, a checkpoint that does not fit the module);
 * - `transient`: the isolate could not be reached or did not finish the exchange (retry later);
 * - `restore`: the isolate needs the checkpoint before it can run the call (the host sends it).
 */
export type FailureKind = "cpu" | "memory" | "trap" | "transient" | "restore";

/** Where a call was when it failed. */
export type FailurePhase = "instantiate" | "init" | "handle";

/** What the glue returns for one call. */
export type SandboxOutcome =
  /** `rejected`: how many `send` calls the glue refused (negative return: invalid, too large, too many). */
  | {
      ok: true;
      rc: number;
      sent: string[];
      logs: AgentLog[];
      fuelUsed: number;
      rejected?: number;
      durable?: DurableChanges | null;
    }
  | {
      ok: false;
      kind: FailureKind;
      phase: FailurePhase;
      message: string;
      sent: string[];
      logs: AgentLog[];
      rejected?: number;
    };

/**
 * The durable side of one call as the isolate sees it: the checkpoint token the host holds and
 * the one this call makes, the state quota and timer cap, and the checkpoint when the host knows
 * the isolate needs it. A boot starts from fresh memory with `state`.
 */
export type GlueDurable = {
  token: string | null;
  next: string;
  stateQuota: number;
  maxValueBytes: number;
  maxTimers: number;
  pendingTimers: number;
  boot: boolean;
  state: [string, Uint8Array][];
  restore: Checkpoint | null;
};

/**
 * The options of one call into the isolate. `fresh` (AGTEST_FRESH_ISOLATES): nothing of an earlier
 * call survives, as in a new isolate.
 */
export type CallOptions = {
  fresh?: boolean;
  fuel: number;
  maxMessageBytes: number;
  maxSends: number;
  durable: GlueDurable | null;
};

/**
 * Callbacks the isolate may call during one call (functions over RPC): large checkpoints in
 * batches. `null` for an agent whose memory fits in one batch (an RPC stub costs every call).
 */
export type Link = { pull(from: number): MemoryPage[]; push(pages: MemoryPage[]): void } | null;

/** The entrypoint the glue exports, as seen through RPC. */
export type SandboxEntrypoint = {
  boot(options: CallOptions, link: Link): Promise<SandboxOutcome>;
  deliver(text: string, options: CallOptions, link: Link): Promise<SandboxOutcome>;
};
