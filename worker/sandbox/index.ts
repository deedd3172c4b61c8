import type { AgentLimits } from "../limits.js";
import { GLUE_SOURCE } from "./glue.js";

/** Compatibility date of agent isolates; pinned so a runtime upgrade does not change agents. */
const AGENT_COMPATIBILITY_DATE = "2026-04-20";

/** At most this many messages emitted per handled message. */
export const MAX_SENDS_PER_MESSAGE = 64;

/** A log line written by the agent with `agent.log`. */
export type AgentLog = { level: number; text: string };

/** What the glue returns for one delivered message. */
export type SandboxOutcome =
  /** `rejected`: how many `send` calls the glue refused (negative return: invalid, too large, too many). */
  | { ok: true; rc: number; sent: string[]; logs: AgentLog[]; fuelUsed: number; rejected?: number }
  | {
      ok: false;
      /**
       * `cpu`: fuel exhausted; `memory`: memory.grow failed before the trap; `trap`: any other trap
       * in the agent; `transient`: the isolate could not be reached (retry later).
       */
      kind: "cpu" | "memory" | "trap" | "transient";
      phase: "instantiate" | "init" | "handle";
      message: string;
      sent: string[];
      logs: AgentLog[];
      rejected?: number;
    };

/** The entrypoint the glue exports, as seen through RPC. */
type CallOptions = { fuel: number; maxMessageBytes: number; maxSends: number };
type SandboxEntrypoint = {
  boot(options: CallOptions): Promise<SandboxOutcome>;
  deliver(text: string, options: CallOptions): Promise<SandboxOutcome>;
};

/**
 * The Dynamic Worker definition of an agent isolate, for any set of modules: no network
 * (`globalOutbound: null`), no bindings (no `env`), the agents' pinned compatibility date and the
 * edge CPU limit. Exported so the security tests can load a probe with exactly these options.
 */
export function isolateCode(limits: Pick<AgentLimits, "cpu_ms">, mainModule: string, modules: WorkerLoaderWorkerCode["modules"]): WorkerLoaderWorkerCode {
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
): Promise<SandboxOutcome> {
  const stub = loader.get(`${key.name}@${key.version}#${key.digest.slice(0, 16)}`, () =>
    isolateCode(limits, "glue.js", { "glue.js": GLUE_SOURCE, "agent.wasm": { wasm: loadModule() } }),
  );
  const entry = stub.getEntrypoint() as unknown as SandboxEntrypoint;
  try {
    const options = { fuel: limits.fuel, maxMessageBytes: limits.message_bytes, maxSends: MAX_SENDS_PER_MESSAGE };
    return await (text === null ? entry.boot(options) : entry.deliver(text, options));
  } catch (err) {
    // The isolate itself died: an edge CPU or memory limit ends the agent; anything else (isolate
    // evicted, restarting) is worth another attempt.
    const message = err instanceof Error ? err.message : String(err);
    const kind = /cpu/i.test(message) ? "cpu" : /memory/i.test(message) ? "memory" : "transient";
    return { ok: false, kind, phase: "handle", message, sent: [], logs: [] };
  }
}
