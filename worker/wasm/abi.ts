import type { FuncType, Import } from "./types.js";

const I32 = 0x7f;
const I64 = 0x7e;

/** A function signature the ABI requires, with how messages spell it. */
export type Signature = { params: number[]; results: number[]; text: string };

function sig(params: number[], results: number[]): Signature {
  const name = (t: number): string => (t === I32 ? "i32" : "i64");
  const text = `(${params.map(name).join(", ")}) -> ${results.length === 0 ? "()" : results.map(name).join(", ")}`;
  return { params, results, text };
}

/** The module WASI preview1 imports come from. */
export const WASI_MODULE = "wasi_snapshot_preview1";

/**
 * The WASI preview1 functions the glue implements (`worker/sandbox/isolate/wasi.ts`): what wasi-libc's
 * `printf` and Rust's `wasm32-wasi` std import. Output to stdout/stderr goes to the agent's log,
 * there is no file system, no environment and no arguments; `proc_exit` traps. Signatures from
 * https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/witx/wasi_snapshot_preview1.witx
 */
export const WASI_IMPORTS: ReadonlyMap<string, Signature> = new Map([
  ["fd_write", sig([I32, I32, I32, I32], [I32])],
  ["fd_close", sig([I32], [I32])],
  ["fd_seek", sig([I32, I64, I32, I32], [I32])],
  ["fd_fdstat_get", sig([I32, I32], [I32])],
  ["random_get", sig([I32, I32], [I32])],
  ["clock_time_get", sig([I32, I64, I32], [I32])],
  ["proc_exit", sig([I32], [])],
  ["environ_sizes_get", sig([I32, I32], [I32])],
  ["environ_get", sig([I32, I32], [I32])],
  ["args_sizes_get", sig([I32, I32], [I32])],
  ["args_get", sig([I32, I32], [I32])],
]);

/** Imports an agent may have (ARCHITECTURE.md, "Agent ABI agtest/1"), keyed `module.name`; one line each. */
export const ALLOWED_IMPORTS: ReadonlyMap<string, Signature> = new Map([
  ["agent.send", sig([I32, I32], [I32])],
  ["agent.log", sig([I32, I32, I32], [])],
  ["agent.now", sig([], [I64])],
  ["agent.random", sig([I32, I32], [])],
  // Durable agents (ARCHITECTURE.md, "Durable agents"): optional state and timer imports.
  ["agent.state_get", sig([I32, I32, I32, I32], [I32])],
  ["agent.state_put", sig([I32, I32, I32, I32], [I32])],
  ["agent.state_delete", sig([I32, I32], [I32])],
  ["agent.timer_set", sig([I64, I32, I32], [I32])],
  // AssemblyScript's abort(message, file, line, column); the host turns it into a trap.
  ["env.abort", sig([I32, I32, I32, I32], [])],
  ...[...WASI_IMPORTS].map(([name, s]): [string, Signature] => [`${WASI_MODULE}.${name}`, s]),
]);

/** Function exports of the ABI; `memory` (a memory) is required too. */
export const FUNCTION_EXPORTS: ReadonlyMap<string, Signature & { required: boolean }> = new Map([
  ["alloc", { ...sig([I32], [I32]), required: true }],
  ["handle", { ...sig([I32, I32], [I32]), required: true }],
  ["init", { ...sig([], [I32]), required: false }],
  // A WASI reactor's initializer (wasi-libc: C constructors, libc setup); the glue calls it once
  // per instance, before `init`.
  ["_initialize", { ...sig([], []), required: false }],
]);

/** Whether a function type has exactly the signature. */
export function matches(type: FuncType | undefined, s: Signature): boolean {
  return (
    type !== undefined &&
    type.params.length === s.params.length &&
    type.params.every((t, i) => t === s.params[i]) &&
    type.results.length === s.results.length &&
    type.results.every((t, i) => t === s.results[i])
  );
}

/** The names an import module provides, for messages ("send, log, now and random"). */
function provided(module: string): string {
  const names = [...ALLOWED_IMPORTS.keys()]
    .filter((k) => k.startsWith(`${module}.`))
    .map((k) => k.slice(module.length + 1));
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

function why(module: string): string {
  if (module === "agent") return `the \`agent\` module provides only ${provided("agent")}`;
  if (module === WASI_MODULE) {
    return `WASI: the runtime implements only ${provided(WASI_MODULE)} (stdout and stderr go to the agent's log, no files, sockets or environment)`;
  }
  return `only \`agent.*\`, \`env.abort\` and the WASI subset are allowed`;
}

/**
 * Every problem with a module's imports, in import order: forbidden imports (each with what its
 * module does provide), an imported memory, allowed names with the wrong kind or signature. An
 * author fixes them all at once instead of one per deploy.
 */
export function importProblems(imports: readonly Import[], types: readonly FuncType[]): string[] {
  const problems: string[] = [];
  for (const imp of imports) {
    const key = `${imp.module}.${imp.name}`;
    const expected = ALLOWED_IMPORTS.get(key);
    if (imp.kind === "memory") problems.push(`imported memory is not allowed (\`${key}\`)`);
    else if (expected === undefined) problems.push(`forbidden import \`${key}\` (${why(imp.module)})`);
    else if (imp.kind !== "func" || !matches(types[imp.typeIndex], expected)) {
      problems.push(`import \`${key}\` must be a function ${expected.text}`);
    }
  }
  return problems;
}
