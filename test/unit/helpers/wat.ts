import wabtInit from "wabt";

type Wabt = Awaited<ReturnType<typeof wabtInit>>;
let wabt: Promise<Wabt> | undefined;

/** Features the pipeline decodes; wabt enables the same set so tests can use them in WAT. */
export const FEATURES = {
  mutable_globals: true,
  sat_float_to_int: true,
  sign_extension: true,
  simd: true,
  multi_value: true,
  tail_call: true,
  bulk_memory: true,
  reference_types: true,
} as const;

/** The shared wabt instance (compiled once per test file). */
export function loadWabt(): Promise<Wabt> {
  wabt ??= wabtInit();
  return wabt;
}

/** Assembles WebAssembly text into a binary module with wabt. */
export async function wat(source: string): Promise<Uint8Array<ArrayBuffer>> {
  const w = await loadWabt();
  const mod = w.parseWat("test.wat", source, FEATURES);
  try {
    mod.resolveNames();
    mod.validate();
    return new Uint8Array(mod.toBinary({ write_debug_names: true }).buffer);
  } finally {
    mod.destroy();
  }
}

/** The imports every agent-shaped test module may use, as wat lines. */
export const AGENT_IMPORTS = `
  (import "agent" "send" (func $send (param i32 i32) (result i32)))
  (import "agent" "log" (func $log (param i32 i32 i32)))
  (import "agent" "now" (func $now (result i64)))
  (import "agent" "random" (func $random (param i32 i32)))
  (import "env" "abort" (func $abort (param i32 i32 i32 i32)))`;

/**
 * A minimal valid agent: bump allocator, `handle` returns 0. `extra` is spliced in after its
 * definitions and `imports` before them (WAT wants imports first).
 */
export function agentWat(extra = "", imports = ""): string {
  return `(module
  ${imports}
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))
  (func (export "alloc") (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $p))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 0))
  ${extra})`;
}

/** Stub `agent` and `env` imports that record sends. */
export function stubImports(memory: () => WebAssembly.Memory): { imports: WebAssembly.Imports; sends: string[] } {
  const sends: string[] = [];
  const text = (ptr: number, len: number): string =>
    new TextDecoder().decode(new Uint8Array(memory().buffer, ptr, len));
  const imports: WebAssembly.Imports = {
    agent: {
      send: (ptr: number, len: number) => (sends.push(text(ptr, len)), 0),
      log: () => undefined,
      now: () => 1_700_000_000_000n,
      random: (ptr: number, len: number) => void new Uint8Array(memory().buffer, ptr, len).fill(4),
    },
    env: {
      abort: () => {
        throw new Error("abort");
      },
    },
  };
  return { imports, sends };
}
