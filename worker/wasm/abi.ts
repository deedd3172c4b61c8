import type { FuncType } from "./types.js";

const I32 = 0x7f;
const I64 = 0x7e;

/** A function signature the ABI requires, with how messages spell it. */
export type Signature = { params: number[]; results: number[]; text: string };

function sig(params: number[], results: number[]): Signature {
  const name = (t: number): string => (t === I32 ? "i32" : "i64");
  const text = `(${params.map(name).join(", ")}) -> ${results.length === 0 ? "()" : results.map(name).join(", ")}`;
  return { params, results, text };
}

/** Imports an agent may have (ARCHITECTURE.md, "Agent ABI agtest/1"), keyed `module.name`. */
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
]);

/** Function exports of the ABI; `memory` (a memory) is required too. */
export const FUNCTION_EXPORTS: ReadonlyMap<string, Signature & { required: boolean }> = new Map([
  ["alloc", { ...sig([I32], [I32]), required: true }],
  ["handle", { ...sig([I32, I32], [I32]), required: true }],
  ["init", { ...sig([], [I32]), required: false }],
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
