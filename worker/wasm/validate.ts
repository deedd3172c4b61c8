import { FUNCTION_EXPORTS, importProblems, matches } from "./abi.js";
import { WasmValidationError } from "./errors.js";
import { parseModule } from "./parse.js";
import type { ModuleInfo, ParsedModule } from "./types.js";

/** Name of the exported mutable i64 global holding the remaining fuel. */
export const FUEL_EXPORT = "__agtest_fuel";
/** Name of the exported mutable i32 global set to 1 when a `memory.grow` fails. */
export const OOM_EXPORT = "__agtest_oom";

/** The public summary of a parsed module. */
export function infoOf(m: ParsedModule): ModuleInfo {
  const memory = m.memories[0];
  return {
    imports: m.imports.map(({ module, name, kind }) => ({ module, name, kind })),
    exports: m.exports.map(({ name, kind }) => ({ name, kind })),
    memory: memory === undefined ? null : { initial: memory.initial, maximum: memory.maximum },
    hasInit: m.exports.some((e) => e.name === "init"),
    functions: m.functions.length,
  };
}

/** Type of function `index` in the function index space (imports first). */
export function funcType(m: ParsedModule, index: number): ParsedModule["types"][number] | undefined {
  const imported = m.imports.filter((i) => i.kind === "func");
  const typeIndex = index < imported.length ? imported[index]?.typeIndex : m.functions[index - imported.length];
  return typeIndex === undefined ? undefined : m.types[typeIndex];
}

function checkImports(m: ParsedModule): void {
  const problems = importProblems(m.imports, m.types);
  if (problems.length === 1) throw new WasmValidationError(problems[0]!);
  if (problems.length > 1) throw new WasmValidationError(`${problems.length} import problems: ${problems.join("; ")}`);
}

function checkExports(m: ParsedModule): void {
  const byName = new Map(m.exports.map((e) => [e.name, e]));
  const memory = byName.get("memory");
  if (memory === undefined) throw new WasmValidationError("missing export `memory`");
  if (memory.kind !== "memory") throw new WasmValidationError("export `memory` must be a memory");
  for (const [name, s] of FUNCTION_EXPORTS) {
    const e = byName.get(name);
    if (e === undefined) {
      if (s.required) throw new WasmValidationError(`missing export \`${name}\``);
      continue;
    }
    if (e.kind !== "func" || !matches(funcType(m, e.index), s)) {
      throw new WasmValidationError(`export \`${name}\` must be a function ${s.text}`);
    }
  }
  for (const name of [FUEL_EXPORT, OOM_EXPORT]) {
    if (byName.has(name)) throw new WasmValidationError(`export name \`${name}\` is reserved for the runtime`);
  }
}

function checkMemory(m: ParsedModule, maxMemoryPages: number): void {
  if (m.memories.length !== 1) {
    throw new WasmValidationError(`the module must define exactly one memory (found ${m.memories.length})`);
  }
  const { initial } = m.memories[0]!;
  if (initial > maxMemoryPages) {
    throw new WasmValidationError(`memory initial size ${initial} pages exceeds the limit of ${maxMemoryPages} pages`);
  }
}

/** Checks `opts.maxMemoryPages` (a programming error, not a module error, so a RangeError). */
export function checkMaxPages(maxMemoryPages: number): void {
  if (!Number.isInteger(maxMemoryPages) || maxMemoryPages < 0 || maxMemoryPages > 65536) {
    throw new RangeError(`maxMemoryPages must be an integer in [0, 65536], got ${maxMemoryPages}`);
  }
}

/** Parses and validates `bytes` against the `agtest/1` ABI; returns the parsed module. */
export function validateParsed(bytes: Uint8Array, opts: { maxMemoryPages: number }): ParsedModule {
  checkMaxPages(opts.maxMemoryPages);
  const m = parseModule(bytes);
  checkImports(m);
  checkMemory(m, opts.maxMemoryPages);
  checkExports(m);
  return m;
}

/**
 * Parses a module and runs the structural checks only (layout, sections, every instruction);
 * throws `WasmValidationError`. Does not check the agent ABI.
 */
export function inspectModule(bytes: Uint8Array): ModuleInfo {
  return infoOf(parseModule(bytes));
}

/**
 * Structural checks plus the `agtest/1` ABI: allowed imports and their signatures, the
 * required exports and their signatures, exactly one defined memory within `maxMemoryPages`.
 */
export function validateModule(bytes: Uint8Array, opts: { maxMemoryPages: number }): ModuleInfo {
  return infoOf(validateParsed(bytes, opts));
}
