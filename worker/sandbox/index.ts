import type { AgentLimits } from "../limits.js";
import { GLUE_SOURCE } from "./glue.gen.js";
import {
  BATCH_PAGES,
  type CallOptions,
  type Checkpoint,
  type GlueDurable,
  type Link,
  type MemoryPage,
  type SandboxEntrypoint,
  type SandboxOutcome,
} from "./isolate/contract.js";

/** Compatibility date of agent isolates; pinned so a runtime upgrade does not change agents. */
const AGENT_COMPATIBILITY_DATE = "2026-04-20";

/** At most this many messages emitted per handled message. */
export const MAX_SENDS_PER_MESSAGE = 64;

/**
 * The durable side of one call: the checkpoint token the host holds and the one this call
 * makes, the state quota and timer cap, and how to read the whole checkpoint if the isolate
 * does not have it. A boot starts from fresh memory with `state`.
 */
export type DurableCall = Omit<GlueDurable, "restore"> & {
  checkpoint: () => Checkpoint | null;
  /** Pages `from` .. `from + BATCH_PAGES` of the checkpoint (the rest of a large restore). */
  pages: (from: number) => MemoryPage[];
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
    const checkpoint = () => durable?.checkpoint() ?? null;
    const pages = (from: number) => durable?.pages(from) ?? [];
    // What the isolate gets of the durable side: everything but the host's callbacks.
    const glue = (restore: Checkpoint | null): GlueDurable | null => {
      if (!durable) return null;
      const { checkpoint: _checkpoint, pages: _pages, ...rest } = durable;
      return { ...rest, restore };
    };
    // A fresh isolate surely needs the checkpoint: send it at once instead of being asked.
    const options = (restore: Checkpoint | null): CallOptions => ({
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
    const link: Link = big
      ? { pull: (from: number) => pages(from), push: (batch: MemoryPage[]) => void pushed.push(...batch) }
      : null;
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
    // The glue never throws (every failure it sees comes back as an outcome with its kind): a throw
    // here is the isolate itself dying, or the RPC to it failing.
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, kind: isolateDeath(message), phase: "handle", message, sent: [], logs: [] };
  }
}

/**
 * The kind of an isolate's death, from the platform's exception: the edge ends an isolate past its
 * CPU or memory limit ("Worker exceeded CPU time limit.", "... exceeded memory limit"), and such an
 * exception carries no structured field (workerd tunnels it as a plain `Error`; only `retryable`
 * and `overloaded` are set, and on other failures), so its text is all there is. Those limits end
 * the agent; anything else (isolate evicted, restarting) is worth another attempt.
 */
function isolateDeath(message: string): "cpu" | "memory" | "transient" {
  return /cpu/i.test(message) ? "cpu" : /memory/i.test(message) ? "memory" : "transient";
}
