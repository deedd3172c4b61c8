import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../harness/node/cli.js";
import type { Io } from "../../harness/node/io.js";
import { WasmValidationError, inspectModule, validateModule } from "../../worker/wasm/index.js";
import { leb, module, moduleWithBody, section } from "../helpers/bytes.js";

/**
 * The type checker's refusals, one per rule, each cross-checked with V8 (which must refuse the
 * same module). Together with the opcode differential test (wasm-opcodes.test.ts) and the fuzz
 * corpus (wasm-fuzz.test.ts) this keeps typecheck.ts at 100 % line coverage (vitest.config.ts).
 */

const name = (t: string) => [t.length, ...new TextEncoder().encode(t)];
const I32 = 0x7f;
const I64 = 0x7e;
const V128_ZERO = [0xfd, 0x0c, ...Array<number>(16).fill(0)];

function refusal(bytes: Uint8Array): string {
  try {
    inspectModule(bytes);
  } catch (error) {
    if (error instanceof WasmValidationError) return error.message;
    throw error;
  }
  throw new Error("accepted");
}

/** A module of one `() -> ()` function with `code` and the given extra sections (ids 4-9, 12 and 11 placed in order). */
function custom(
  code: number[],
  sections: Record<number, number[]> = {},
  types: number[][] = [[0x60, 0, 0]],
): Uint8Array<ArrayBuffer> {
  const body = [0, ...code];
  const order = [4, 5, 6, 7, 9, 12];
  return module(
    section(1, [types.length, ...types.flat()]),
    section(3, [1, 0]),
    ...order.filter((id) => sections[id] !== undefined).map((id) => section(id, sections[id]!)),
    section(10, [1, ...leb(body.length), ...body]),
    ...(sections[11] === undefined ? [] : [section(11, sections[11])]),
  );
}

const cases: [string, Uint8Array<ArrayBuffer>, RegExp][] = [
  ["an empty stack", moduleWithBody([0x1a, 0x0b]), /expected a value but the stack is empty/],
  ["a mismatched operand", moduleWithBody([0x42, 0, 0x21, 0, 0x0b]), /expected i32, found i64/],
  [
    "a value left at the end",
    moduleWithBody([0x41, 0, 0x0b]),
    /1 value\(s\) left on the stack at the end of a block, expected \[\]/,
  ],
  [
    "an if without else that changes the stack",
    moduleWithBody([0x41, 1, 0x04, I32, 0x41, 0, 0x0b, 0x1a, 0x0b]),
    /`if` without `else` must return its parameters \[\], not \[i32\]/,
  ],
  ["a branch too deep", moduleWithBody([0x0c, 5, 0x0b]), /branch depth 5 out of range/],
  [
    "br_table targets of different arity",
    moduleWithBody([0x02, I32, 0x02, 0x40, 0x41, 0, 0x41, 0, 0x0e, 1, 0, 1, 0x0b, 0x41, 0, 0x0b, 0x1a, 0x0b]),
    /br_table targets of different arity/,
  ],
  ["a load without a memory", custom([0x41, 0, 0x28, 2, 0, 0x1a, 0x0b]), /memory instruction without a memory/],
  [
    "an alignment past natural",
    moduleWithBody([0x41, 0, 0x28, 3, 0, 0x1a, 0x0b]),
    /alignment larger than natural \(4 bytes\)/,
  ],
  ["a table index out of range", moduleWithBody([0x41, 0, 0x25, 5, 0x1a, 0x0b]), /table index 5 out of range/],
  [
    "call_indirect through an externref table",
    custom([0x41, 0, 0x11, 0, 0, 0x0b], { 4: [1, 0x6f, 0, 1] }),
    /call_indirect through a table that is not funcref/,
  ],
  [
    "select on references without a type",
    moduleWithBody([0xd0, 0x70, 0xd0, 0x70, 0x41, 0, 0x1b, 0x1a, 0x0b]),
    /`select` without a type on reference operands/,
  ],
  ["a local index out of range", moduleWithBody([0x20, 9, 0x1a, 0x0b]), /local index out of range \(1 locals\)/],
  [
    "global.set of an immutable global",
    custom([0x41, 0, 0x24, 0, 0x0b], { 6: [1, I32, 0, 0x41, 0, 0x0b] }),
    /global.set of an immutable global/,
  ],
  ["ref.is_null of a number", moduleWithBody([0x41, 0, 0xd1, 0x1a, 0x0b]), /ref.is_null of i32/],
  [
    "ref.func of an undeclared function",
    custom([0xd2, 0, 0x1a, 0x0b]),
    /ref.func of function 0, which is not declared/,
  ],
  [
    "memory.init without a data count section",
    custom([0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 8, 0, 0, 0x0b], { 5: [1, 0, 1], 11: [1, 1, 0] }),
    /needs a data count section/,
  ],
  [
    "a data segment out of range",
    moduleWithBody([0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 8, 5, 0, 0x0b]),
    /data segment 5 out of range/,
  ],
  ["an element segment out of range", moduleWithBody([0xfc, 13, 5, 0x0b]), /element segment 5 out of range/],
  [
    "table.init across reference types",
    custom([0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 12, 0, 0, 0x0b], { 4: [1, 0x6f, 0, 1], 9: [1, 1, 0, 0] }),
    /table.init of an element segment of another reference type/,
  ],
  [
    "table.copy across reference types",
    custom([0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 14, 0, 1, 0x0b], { 4: [2, 0x70, 0, 1, 0x6f, 0, 1] }),
    /table.copy between tables of different reference types/,
  ],
  [
    "a lane index out of range",
    moduleWithBody([0x41, 0, 0xfd, 0x0f, 0xfd, 0x15, 16, 0x1a, 0x0b]),
    /lane index out of range \(16 lanes\)/,
  ],
  [
    "a shuffle lane out of range",
    moduleWithBody([...V128_ZERO, ...V128_ZERO, 0xfd, 0x0d, 32, ...Array<number>(15).fill(0), 0x1a, 0x0b]),
    /i8x16.shuffle lane index out of range/,
  ],
];

describe("type checking of function bodies, as V8 judges them", () => {
  it.each(cases)("refuses %s", (_, bytes, message) => {
    expect(WebAssembly.validate(bytes)).toBe(false);
    expect(refusal(bytes)).toMatch(/^type error in function 0 at offset \d+: /);
    expect(refusal(bytes)).toMatch(message);
  });

  it("refuses a tail call whose callee returns other types than the caller", () => {
    // Function 0 `() -> ()` tail-calls function 1 `() -> i32`.
    const bytes = module(
      section(1, [2, 0x60, 0, 0, 0x60, 0, 1, I32]),
      section(3, [2, 0, 1]),
      section(10, [2, 4, 0, 0x12, 1, 0x0b, 4, 0, 0x41, 0, 0x0b]),
    );
    expect(WebAssembly.validate(bytes)).toBe(false);
    expect(refusal(bytes)).toMatch(/tail call returns \[i32\], the function returns \[\]/);
  });

  it("an agent whose `handle` leaves an i64 where an i32 is due is refused, naming the function; agtest validate agrees", async () => {
    const types = section(1, [2, 0x60, 1, I32, 1, I32, 0x60, 2, I32, I32, 1, I32]);
    const exports = section(7, [3, ...name("memory"), 0x02, 0, ...name("alloc"), 0x00, 0, ...name("handle"), 0x00, 1]);
    const alloc = [0, 0x41, 0, 0x0b];
    const handle = [0, 0x42, 0, 0x0b]; // i64.const 0 where `handle` returns i32
    const bytes = module(
      types,
      section(3, [2, 0, 1]),
      section(5, [1, 0, 1]),
      exports,
      section(10, [2, alloc.length, ...alloc, handle.length, ...handle]),
    );
    expect(WebAssembly.validate(bytes)).toBe(false);
    let message = "";
    try {
      validateModule(bytes, { maxMemoryPages: 16 });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^type error in function 1 \(`handle`\) at offset \d+: expected i32, found i64$/);

    // `agtest validate` runs the same checks as deploy, offline.
    const dir = mkdtempSync(join(tmpdir(), "agtest-typecheck-"));
    try {
      const file = join(dir, "mistyped.wasm");
      writeFileSync(file, bytes);
      let out = "";
      const io: Io = {
        out: (t) => void (out += t),
        err: () => undefined,
        progress: { isTTY: false, write: () => undefined },
      };
      expect(await main(["validate", file], io)).toBe(1);
      expect(out).toContain(`INVALID: ${message}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("constant expressions are typed too: global initialisers, segment offsets and element items", () => {
    const global = (type: number, expr: number[]) => module(section(6, [1, type, 0, ...expr, 0x0b]));
    for (const [bytes, message] of [
      [global(I32, [0x42, 0]), /expected i32, got i64/],
      [global(I32, []), /expected i32, got nothing/],
      [global(I32, [0x41, 0, 0x41, 0]), /expected i32, got i32 i32/],
      [global(I32, [0x41, 0, 0x42, 0, 0x6a]), /`i32` arithmetic on the wrong operands/],
      [global(I32, [0x23, 0]), /`global.get` must name an immutable global defined before/],
      [
        module(section(2, [1, ...name("m"), ...name("g"), 0x03, I32, 1]), section(6, [1, I32, 0, 0x23, 0, 0x0b])),
        /`global.get` must name an immutable global/,
      ],
      [
        module(
          section(1, [1, 0x60, 0, 0]),
          section(3, [1, 0]),
          section(4, [1, 0x6f, 0, 1]),
          section(9, [1, 0, 0x41, 0, 0x0b, 1, 0]),
          section(10, [1, 2, 0, 0x0b]),
        ),
        /element segment 0 does not fit table 0/,
      ],
      [module(section(9, [1, 0, 0x41, 0, 0x0b, 0])), /element segment 0 does not fit table 0/],
    ] as const) {
      expect(WebAssembly.validate(bytes)).toBe(false);
      expect(refusal(bytes)).toMatch(message);
    }
    // What is valid stays valid: an imported immutable global, i64 arithmetic, ref.func items.
    const ok = module(
      section(2, [1, ...name("m"), ...name("g"), 0x03, I64, 0]),
      section(6, [1, I64, 0, 0x23, 0, 0x42, 1, 0x7c, 0x0b]),
    );
    expect(() => inspectModule(ok)).not.toThrow();
  });
});

describe("readConstExpr without an expected type (re-reading a validated module)", () => {
  it("checks the encoding only", async () => {
    const { readConstExpr } = await import("../../worker/wasm/opcodes.js");
    const { Reader } = await import("../../worker/wasm/reader.js");
    const read = (bytes: number[]) =>
      readConstExpr(new Reader(new Uint8Array(bytes), 0, bytes.length, "expr"), { types: 1, funcs: 1, globals: 1 });
    expect(() => read([0x23, 0, 0x41, 1, 0x6a, 0x0b])).not.toThrow(); // global.get without type info; i32.add
    expect(() => read([0x42, 0, 0x41, 0, 0x0b])).not.toThrow(); // two values: not judged here
    expect(() => read([0x23, 4, 0x0b])).toThrow(/global index 4 out of range/);
  });
});
