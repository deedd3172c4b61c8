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
