import { describe, expect, it } from "vitest";
import { inspectModule } from "../../worker/wasm/index.js";
import { leb, moduleWithBody } from "../helpers/bytes.js";

// Differential test of the opcode tables against V8: for every opcode (one byte, 0xFC and 0xFD
// prefixes), V8 accepts *some* well-typed use of it exactly when our decoder knows it. Our
// decoder only looks at structure, so for it one immediate shape suffices; V8 gets a range of
// operand stacks so that most instructions find a well-typed use.
const I32 = [0x41, 0];
const I64 = [0x42, 0];
const F32 = [0x43, 0, 0, 0, 0];
const F64 = [0x44, ...new Array<number>(8).fill(0)];
const V128 = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const REF = [0xd0, 0x70];
const STACKS = [
  [], [I32], [I64], [F32], [F64], [V128], [V128, V128], [V128, V128, V128], [V128, I32], [V128, I64],
  [V128, F32], [V128, F64], [I32, V128], [I32, I32], [I32, I64], [I32, F32], [I32, F64], [I64, I64],
  [F32, F32], [F64, F64], [I32, I32, I32], [REF], [I32, REF], [REF, I32], [I32, REF, I32],
].map((s) => s.flat());
const IMMEDIATES = [[], [0], [0, 0], [0, 0, 0], [0, 0, 0, 0], new Array<number>(8).fill(0), new Array<number>(16).fill(0), [1, 0x7f], [0x70]];
const TAILS = [[0x0b], [0x1a, 0x0b], [0x0b, 0x0b], [0x1a, 0x0b, 0x0b]];

function ours(bytes: Uint8Array): boolean {
  try {
    inspectModule(bytes);
    return true;
  } catch {
    return false;
  }
}

function v8Knows(op: number[], imms: number[][]): boolean {
  for (const imm of imms) {
    for (const stack of STACKS) {
      for (const tail of TAILS) {
        if (WebAssembly.validate(moduleWithBody([...stack, ...op, ...imm, ...tail]))) return true;
      }
    }
  }
  return false;
}

/** Opcodes V8 (Node 20) knows and the pipeline rejects on purpose. */
const REJECTED_ON_PURPOSE = new Set(["6", "fe"]); // legacy exception handling `try`; threads/atomics prefix

function check(ops: number[][]): string[] {
  const mismatches: string[] = [];
  for (const op of ops) {
    const name = op.map((b) => b.toString(16)).join(" ");
    // The shortest tail first, so that an immediate never swallows an `end` of the tail.
    const imm = [[0x0b], [0x0b, 0x0b]]
      .map((t) => IMMEDIATES.find((i) => ours(moduleWithBody([...op, ...i, ...t]))))
      .find((i) => i !== undefined);
    const known = imm !== undefined;
    const v8 = v8Knows(op, known ? [imm] : IMMEDIATES);
    if (v8 !== known && !(REJECTED_ON_PURPOSE.has(name) && v8 && !known)) {
      mismatches.push(`${name}: V8 ${v8 ? "accepts" : "rejects"}, ours ${known ? "accepts" : "rejects"}`);
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
