import { describe, expect, it } from "vitest";
import { inspectModule } from "../../worker/wasm/index.js";
import { leb, moduleWithBody } from "../helpers/bytes.js";

// Differential test of the opcode tables and the type checker against V8: for every opcode (one
// byte, 0xFC and 0xFD prefixes), with a range of operand stacks before it and of tails after it,
// the pipeline accepts exactly the modules V8 accepts. The immediate is the first shape with
// which the pipeline accepts some use of the opcode; when there is none, V8 must know no use of
// it with any shape either.
const I32 = [0x41, 0];
const I64 = [0x42, 0];
const F32 = [0x43, 0, 0, 0, 0];
const F64 = [0x44, ...new Array<number>(8).fill(0)];
const V128 = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const REF = [0xd0, 0x70];
const STACKS = [
  [],
  [I32],
  [I64],
  [F32],
  [F64],
  [V128],
  [V128, V128],
  [V128, V128, V128],
  [V128, I32],
  [V128, I64],
  [V128, F32],
  [V128, F64],
  [I32, V128],
  [I32, I32],
  [I32, I64],
  [I32, F32],
  [I32, F64],
  [I64, I64],
  [F32, F32],
  [F64, F64],
  [I32, I32, I32],
  [REF],
  [I32, REF],
  [REF, I32],
  [I32, REF, I32],
].map((s) => s.flat());
const IMMEDIATES = [
  [],
  [0],
  [0, 0],
  [0, 0, 0],
  [0, 0, 0, 0],
  new Array<number>(8).fill(0),
  new Array<number>(16).fill(0),
  [1, 0x7f],
  [0x70],
];
const TAILS = [[0x0b], [0x1a, 0x0b], [0x0b, 0x0b], [0x1a, 0x0b, 0x0b]];

function ours(bytes: Uint8Array): boolean {
  try {
    inspectModule(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Every use of `op` with `imm`: each operand stack before it, each tail after it. */
function uses(op: number[], imm: number[]): Uint8Array<ArrayBuffer>[] {
  return STACKS.flatMap((stack) => TAILS.map((tail) => moduleWithBody([...stack, ...op, ...imm, ...tail])));
}

/** Opcodes V8 (Node 20) knows and the pipeline rejects on purpose. */
const REJECTED_ON_PURPOSE = new Set(["6", "fe"]); // legacy exception handling `try`; threads/atomics prefix

function check(ops: number[][]): string[] {
  const mismatches: string[] = [];
  for (const op of ops) {
    const name = op.map((b) => b.toString(16)).join(" ");
    const imm = IMMEDIATES.find((i) => uses(op, i).some(ours));
    if (imm === undefined) {
      const v8 = IMMEDIATES.some((i) => uses(op, i).some((b) => WebAssembly.validate(b)));
      if (v8 && !REJECTED_ON_PURPOSE.has(name)) mismatches.push(`${name}: V8 accepts some use, ours none`);
      continue;
    }
    for (const bytes of uses(op, imm)) {
      const v8 = WebAssembly.validate(bytes);
      if (v8 !== ours(bytes))
        mismatches.push(
          `${name} in ${[...bytes.subarray(-24)].map((b) => b.toString(16)).join(" ")}: V8 ${v8 ? "accepts" : "rejects"}`,
        );
    }
  }
  return mismatches;
}

describe("opcode tables agree with V8", { timeout: 120_000 }, () => {
  it("one-byte opcodes", () => {
    const ops: number[][] = [];
    for (let op = 0; op < 256; op++) if (op !== 0xfc && op !== 0xfd) ops.push([op]);
    expect(check(ops)).toEqual([]);
  });

  it("0xFC prefix (saturating truncation, bulk memory, tables)", () => {
    const ops: number[][] = [];
    for (let sub = 0; sub < 32; sub++) ops.push([0xfc, ...leb(sub)]);
    expect(check(ops)).toEqual([]);
  });

  it("0xFD prefix (SIMD, including the reserved gaps)", () => {
    const ops: number[][] = [];
    for (let sub = 0; sub < 280; sub++) ops.push([0xfd, ...leb(sub)]);
    expect(check(ops)).toEqual([]);
  });
});
