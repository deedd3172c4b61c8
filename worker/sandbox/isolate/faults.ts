import type { FailureKind } from "./contract.js";

/**
 * A failure the glue raises itself, with the kind the host reads (`contract.ts`, `FailureKind`):
 * the kind is decided where the failure happens, never recovered from the message text.
 */
export class SandboxFault extends Error {
  override name = "SandboxFault";
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
}

/** The runtime globals an instrumented module exports (`worker/wasm/validate.ts`). */
export type RuntimeGlobals = { fuel: WebAssembly.Global; oom: WebAssembly.Global };

/**
 * The kind of a failure during a call into the agent. A `SandboxFault` says its own kind; any
 * other throw (a wasm trap, a stack overflow) is read from the runtime globals, which the
 * instrumented module sets before it traps: fuel below zero is an exhausted budget, the OOM flag
 * a `memory.grow` the limit refused. `globals` is `null` when there is no instance yet.
 */
export function classify(err: unknown, globals: RuntimeGlobals | null): FailureKind {
  if (globals && (globals.fuel.value as bigint) < 0n) return "cpu";
  if (globals && globals.oom.value === 1) return "memory";
  if (err instanceof SandboxFault) return err.kind;
  return "trap";
}
