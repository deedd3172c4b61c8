import type { AgentLimits } from "../limits.js";
import { DURABLE_SOURCE } from "./durable.js";
import { GLUE_SOURCE } from "./glue.js";

/** Compatibility date of agent isolates; pinned so a runtime upgrade does not change agents. */
const AGENT_COMPATIBILITY_DATE = "2026-04-20";

/** At most this many messages emitted per handled message. */
export const MAX_SENDS_PER_MESSAGE = 64;

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
 * The durable side of one call: the checkpoint token the host holds and the one this call
 * makes, the state quota and timer cap, and how to read the whole checkpoint if the isolate
 * does not have it. A boot starts from fresh memory with `state`.
 */
export type DurableCall = {
  token: string | null;
  next: string;
  stateQuota: number;
  maxValueBytes: number;
  maxTimers: number;
  pendingTimers: number;
  boot: boolean;
  state: [string, Uint8Array][];
  checkpoint: () => Checkpoint | null;
  /** Pages `from` .. `from + BATCH_PAGES` of the checkpoint (the rest of a large restore). */
  pages: (from: number) => MemoryPage[];
};

/** What the glue returns for one delivered message. */
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
      /**
       * `cpu`: fuel exhausted; `memory`: memory.grow failed before the trap; `trap`: any other trap
       * in the agent; `transient`: the isolate could not be reached (retry later).
       */
      kind: "cpu" | "memory" | "trap" | "transient" | "restore";
      phase: "instantiate" | "init" | "handle";
      message: string;
      sent: string[];
      logs: AgentLog[];
      rejected?: number;
    };

/** The entrypoint the glue exports, as seen through RPC. */
type GlueDurable = Omit<DurableCall, "checkpoint" | "pages"> & { restore: Checkpoint | null };
/** Callbacks the isolate may call during one call (functions over RPC): large checkpoints in batches. */
type Link = { pull(from: number): MemoryPage[]; push(pages: MemoryPage[]): void };
type CallOptions = { fuel: number; maxMessageBytes: number; maxSends: number; durable: GlueDurable | null };
type SandboxEntrypoint = {
  boot(options: CallOptions, link: Link): Promise<SandboxOutcome>;
  deliver(text: string, options: CallOptions, link: Link): Promise<SandboxOutcome>;
};

/**
 * The Dynamic Worker definition of an agent isolate, for any set of modules: no network
 * (`globalOutbound: null`), no bindings (no `env`), the agents' pinned compatibility date and the
 * edge CPU limit. Exported so the security tests can load a probe with exactly these options.
 */
export function isolateCode(
  limits: Pick<AgentLimits, "cpu_ms">,
  mainModule: string,
  modules: WorkerLoaderWorkerCode["modules"],
): WorkerLoaderWorkerCode {
  return {
    compatibilityDate: AGENT_COMPATIBILITY_DATE,
    mainModule,
    modules,
    // No network: the isolate can only answer the runtime.
    globalOutbound: null,
    // Enforced at the edge; local workerd ignores it, which is why the module carries fuel.
    limits: { cpuMs: limits.cpu_ms },
  };
}

/** Identifies one sandbox: an agent, its version and its module digest (so a redeploy never reuses a stale isolate). */
export type SandboxKey = { name: string; version: number; digest: string };

/**
 * Runs one message through the agent's Dynamic Worker. The isolate is keyed by name, version and
 * digest; `loadModule` is only called when the loader has no warm isolate for that key.
 */
export async function runInSandbox(
  loader: WorkerLoader,
  key: SandboxKey,
  limits: AgentLimits,
  loadModule: () => ArrayBuffer,
  /** The message text to deliver, or `null` to boot the agent (instantiate and run `init`). */
  text: string | null,
  /** Checkpoint, state and timers of a durable agent; `null` for none. */
  durable: DurableCall | null = null,
  /** A new isolate for this call (`AGTEST_FRESH_ISOLATES`), as the edge may give any delivery. */
  fresh = false,
): Promise<SandboxOutcome> {
  const code = () =>
    isolateCode(limits, "glue.js", {
      "glue.js": GLUE_SOURCE,
      "durable.js": DURABLE_SOURCE,
      "agent.wasm": { wasm: loadModule() },
    });
  // A fresh isolate per delivery is emulated inside the warm one: the glue drops the instance and
  // what it knew of the checkpoint, so the agent starts from nothing but the checkpoint, as it would
  // in a new isolate. (Loading a real new isolate per delivery made this workerd abort within a few
  // hundred deliveries when the old ones were collected: "tried to defer destruction during
  // isolate shutdown", workerd#6506; and keeping them cached grows without bound.)
  const stub = loader.get(`${key.name}@${key.version}#${key.digest.slice(0, 16)}`, code);
  const entry = stub.getEntrypoint() as unknown as SandboxEntrypoint;
  try {
    const { checkpoint, pages, ...rest } = durable ?? { checkpoint: () => null, pages: () => [] };
    // A fresh isolate surely needs the checkpoint: send it at once instead of being asked.
    const glue = (restore: Checkpoint | null): GlueDurable | null =>
      durable ? { ...(rest as Omit<DurableCall, "checkpoint" | "pages">), restore } : null;
    const options = (restore: Checkpoint | null) => ({
      fresh,
      fuel: limits.fuel,
      maxMessageBytes: limits.message_bytes,
      maxSends: MAX_SENDS_PER_MESSAGE,
      durable: glue(restore),
    });
    // Pages of a large capture arrive in batches before the result; they come first in it.
    const pushed: MemoryPage[] = [];
    // Only an agent whose memory may exceed one batch gets the callbacks (RPC stubs cost every call).
    const big = limits.memory_bytes > BATCH_PAGES * 65536;
    const link = (
      big ? { pull: (from: number) => pages(from), push: (batch: MemoryPage[]) => void pushed.push(...batch) } : null
    ) as Link;
    const joined = (outcome: SandboxOutcome): SandboxOutcome => {
      if (outcome.ok && outcome.durable && pushed.length > 0)
        outcome.durable.memory.pages = [...pushed, ...outcome.durable.memory.pages];
      return outcome;
    };
    if (text === null) return joined(await entry.boot(options(null), link));
    const first = await entry.deliver(text, options(fresh && durable && !durable.boot ? checkpoint() : null), link);
    if (first.ok || first.kind !== "restore") return joined(first);
    pushed.length = 0;
    const again = await entry.deliver(text, options(checkpoint()), link);
    if (!again.ok && again.kind === "restore")
      return { ...again, kind: "transient", message: "the isolate did not take the checkpoint" };
    return joined(again);
  } catch (err) {
    // The isolate itself died: an edge CPU or memory limit ends the agent; anything else (isolate
    // evicted, restarting) is worth another attempt.
    const message = err instanceof Error ? err.message : String(err);
    const kind = /cpu/i.test(message) ? "cpu" : /memory/i.test(message) ? "memory" : "transient";
    return { ok: false, kind, phase: "handle", message, sent: [], logs: [] };
  }
}
