/**
 * Tiny hand-assembled modules for rejection tests, built byte by byte so each one has exactly the
 * defect under test. Pure TypeScript: used by workerd and Node tests alike.
 */
import { leb, module as moduleOf, section } from "./bytes.js";

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...leb(bytes.length), ...bytes];
}

/** Bytes that do not start with `\0asm` (an ELF header). */
export const badMagic = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x01, 0x00, 0x00, 0x00]);

/** A valid header and nothing else: no memory, no exports. */
export const emptyModule = moduleOf();

/** A module that imports its memory from `env.memory`. */
export const importedMemory = moduleOf(section(2, [1, ...name("env"), ...name("memory"), 0x02, 0x00, 0x01]));

/**
 * A complete agent-shaped module: a memory of `pages` pages with no maximum, `alloc` returning
 * 1024 and `handle` returning 0.
 */
export function agentModule(pages: number): Uint8Array {
  const types = section(1, [2, 0x60, 1, 0x7f, 1, 0x7f, 0x60, 2, 0x7f, 0x7f, 1, 0x7f]);
  const funcs = section(3, [2, 0, 1]);
  const memory = section(5, [1, 0x00, ...leb(pages)]);
  const exports = section(7, [3, ...name("memory"), 0x02, 0, ...name("alloc"), 0x00, 0, ...name("handle"), 0x00, 1]);
  const allocBody = [0, 0x41, 0x80, 0x08, 0x0b]; // no locals; i32.const 1024 (signed LEB 0x80 0x08); end
  const handleBody = [0, 0x41, 0x00, 0x0b]; // no locals; i32.const 0; end
  const code = section(10, [2, allocBody.length, ...allocBody, handleBody.length, ...handleBody]);
  return moduleOf(types, funcs, memory, exports, code);
}

/** What {@link agentWithImport} imports: a function of a given type, or a table, memory or global. */
export type ImportDesc =
  | { kind: "func"; params: number[]; results: number[] }
  | { kind: "table" | "memory" | "global" };

/**
 * {@link agentModule} (one page) plus one import `module.name` of the given kind. A function
 * import gets its own type; the exports are renumbered past it. With `agent.send` as
 * `(i32, i32) -> i32` it is a valid agent, which shows the builder makes deployable modules.
 */
export function agentWithImport(moduleName: string, field: string, desc: ImportDesc): Uint8Array {
  const I32 = 0x7f;
  const extraType =
    desc.kind === "func"
      ? [0x60, ...leb(desc.params.length), ...desc.params, ...leb(desc.results.length), ...desc.results]
      : [];
  const types = section(1, [
    desc.kind === "func" ? 3 : 2,
    0x60,
    1,
    I32,
    1,
    I32,
    0x60,
    2,
    I32,
    I32,
    1,
    I32,
    ...extraType,
  ]);
  const importDesc =
    desc.kind === "func"
      ? [0x00, 2]
      : desc.kind === "table"
        ? [0x01, 0x70, 0x00, 0x01]
        : desc.kind === "memory"
          ? [0x02, 0x00, 0x01]
          : [0x03, I32, 0x00];
  const imports = section(2, [1, ...name(moduleName), ...name(field), ...importDesc]);
  const shift = desc.kind === "func" ? 1 : 0;
  const funcs = section(3, [2, 0, 1]);
  // An imported memory is the module's memory (one memory at most without multi-memory).
  const memory = desc.kind === "memory" ? [] : section(5, [1, 0x00, 1]);
  const exports = section(7, [
    3,
    ...name("memory"),
    0x02,
    0,
    ...name("alloc"),
    0x00,
    shift,
    ...name("handle"),
    0x00,
    1 + shift,
  ]);
  const allocBody = [0, 0x41, 0x80, 0x08, 0x0b];
  const handleBody = [0, 0x41, 0x00, 0x0b];
  const code = section(10, [2, allocBody.length, ...allocBody, handleBody.length, ...handleBody]);
  return moduleOf(types, imports, funcs, memory, exports, code);
}
