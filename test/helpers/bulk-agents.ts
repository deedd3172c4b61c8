/**
 * Agents whose `handle` spends its time in one bulk operation: `memory.fill`, `memory.copy` or
 * the host's `random`, over `bytes` bytes of a 16 MiB memory, once or in an endless loop.
 * Hand-assembled (pure TypeScript) so workerd tests can build them: nothing compiles wat there.
 */
import { leb, module, section } from "./bytes.js";

/** Signed LEB128 of a 32-bit value. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...leb(bytes.length), ...bytes];
}

/** The bulk operations the fuel tests drive. */
export type BulkKind = "fill" | "copy" | "random";

const I32 = 0x7f;
export const MEMORY_PAGES = 256; // 16 MiB, the default memory limit

/** Instruction bytes of one operation over `bytes` bytes (function 0 is the `agent.random` import). */
function operation(kind: BulkKind, bytes: number): number[] {
  const c = (n: number) => [0x41, ...sleb(n)];
  switch (kind) {
    case "fill":
      return [...c(0), ...c(0x5a), ...c(bytes), 0xfc, 11, 0];
    case "copy":
      return [...c(1), ...c(0), ...c(bytes), 0xfc, 10, 0, 0];
    case "random":
      return [...c(0), ...c(bytes), 0x10, 0];
  }
}

/**
 * An agent (memory of 16 MiB, `alloc` returning 1024) whose `handle` runs the operation once and
 * returns 0, or (`loop`) runs it forever.
 */
export function bulkAgent(kind: BulkKind, bytes: number, loop: boolean): Uint8Array<ArrayBuffer> {
  const types = section(1, [3, 0x60, 1, I32, 1, I32, 0x60, 2, I32, I32, 1, I32, 0x60, 2, I32, I32, 0]);
  const imports = section(2, [1, ...name("agent"), ...name("random"), 0x00, 2]);
  const funcs = section(3, [2, 0, 1]);
  const memory = section(5, [1, 0x00, ...leb(MEMORY_PAGES)]);
  const exports = section(7, [3, ...name("memory"), 0x02, 0, ...name("alloc"), 0x00, 1, ...name("handle"), 0x00, 2]);
  const alloc = [0, 0x41, ...sleb(1024), 0x0b];
  const op = operation(kind, bytes);
  const handle = loop ? [0, 0x03, 0x40, ...op, 0x0c, 0, 0x0b, 0x41, 0, 0x0b] : [0, ...op, 0x41, 0, 0x0b];
  const code = section(10, [2, ...leb(alloc.length), ...alloc, ...leb(handle.length), ...handle]);
  return module(types, imports, funcs, memory, exports, code);
}

/**
 * Fuel of one `handle` of the `loop = false` agent apart from what the operation itself is
 * charged: its instructions (the operation's, `i32.const 0`, `end`) at one fuel each.
 */
export function handleInstructions(kind: BulkKind): number {
  return (kind === "copy" || kind === "fill" ? 4 : 3) + 2;
}

/** A host import of four i32 parameters and an i32 result that a {@link hostCallAgent} calls. */
export type HostCall = {
  module: "agent" | "wasi_snapshot_preview1";
  name: string;
  args: [number, number, number, number];
};

/**
 * An agent (16 MiB memory, `alloc` returning 1024) whose `handle` calls one host import with
 * constant arguments and drops its result, once or (`loop`) forever. `data` is placed at address
 * 0 (e.g. a WASI iovec).
 */
export function hostCallAgent(call: HostCall, loop: boolean, data: number[] = []): Uint8Array<ArrayBuffer> {
  const four = [0x60, 4, I32, I32, I32, I32, 1, I32];
  const types = section(1, [3, 0x60, 1, I32, 1, I32, 0x60, 2, I32, I32, 1, I32, ...four]);
  const imports = section(2, [1, ...name(call.module), ...name(call.name), 0x00, 2]);
  const funcs = section(3, [2, 0, 1]);
  const memory = section(5, [1, 0x00, ...leb(MEMORY_PAGES)]);
  const exports = section(7, [3, ...name("memory"), 0x02, 0, ...name("alloc"), 0x00, 1, ...name("handle"), 0x00, 2]);
  const alloc = [0, 0x41, ...sleb(1024), 0x0b];
  const op = [...call.args.flatMap((n) => [0x41, ...sleb(n)]), 0x10, 0, 0x1a];
  const handle = loop ? [0, 0x03, 0x40, ...op, 0x0c, 0, 0x0b, 0x41, 0, 0x0b] : [0, ...op, 0x41, 0, 0x0b];
  const code = section(10, [2, ...leb(alloc.length), ...alloc, ...leb(handle.length), ...handle]);
  const segments = data.length === 0 ? [] : [section(11, [1, 0, 0x41, 0, 0x0b, ...leb(data.length), ...data])];
  return module(types, imports, funcs, memory, exports, code, ...segments);
}

/** Little-endian bytes of a u32. */
export function u32le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
