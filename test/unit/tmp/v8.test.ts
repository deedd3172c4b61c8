import { it } from "vitest";
import { inspectModule } from "../../../worker/wasm/index.js";

function leb(n: number): number[] { const o: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; }
function sec(id: number, payload: number[]): number[] { return [id, ...leb(payload.length), ...payload]; }
function mod(code: number[]): Uint8Array {
  const body = [0x00, ...code];
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...sec(1, [1, 0x60, 0, 0]), ...sec(3, [1, 0]), ...sec(4, [1, 0x70, 0, 1]), ...sec(5, [1, 0, 1]),
    ...sec(6, [1, 0x7f, 1, 0x41, 0, 0x0b]), ...sec(9, [1, 1, 0, 1, 0]), ...sec(12, [1]),
    ...sec(10, [1, ...leb(body.length), ...body]), ...sec(11, [1, 1, 0])]);
}
const I32 = [0x41, 0], I64 = [0x42, 0], F32 = [0x43, 0, 0, 0, 0], F64 = [0x44, 0, 0, 0, 0, 0, 0, 0, 0], V = [0xfd, 0x0c, ...new Array(16).fill(0)], R = [0xd0, 0x70];
const stacks = [[], [I32], [I64], [F32], [F64], [V], [V, V], [V, V, V], [V, I32], [V, I64], [V, F32], [V, F64], [I32, V], [I32, I32], [I64, I64], [F32, F32], [F64, F64], [I32, I32, I32], [R], [I32, R], [R, I32], [I32, R, I32], [I32, I32, I32, I32]].map((s) => s.flat());
const imms = [[], [0], [0, 0], [0, 0, 0], [0, 0, 0, 0], new Array(8).fill(0), new Array(16).fill(0), [1, 0x7f], [0x70]];
it("v8", () => {
  const ours = (b: Uint8Array) => { try { inspectModule(b); return true; } catch { return false; } };
  const prefixes: number[][] = [];
  for (let op = 0; op < 256; op++) if (![0xfc, 0xfd].includes(op)) prefixes.push([op]);
  for (let s = 0; s < 300; s++) prefixes.push([0xfd, ...leb(s)]);
  for (let s = 0; s < 30; s++) prefixes.push([0xfc, ...leb(s)]);
  const diffs: string[] = [];
  for (const p of prefixes) {
    let v8 = false, us = false;
    for (const imm of imms) for (const st of stacks) for (const tail of [[0x0b], [0x1a, 0x0b], [0x0b, 0x0b], [0x1a, 0x0b, 0x0b], [0x0b, 0x0b, 0x0b]]) {
      const b = mod([...st, ...p, ...imm, ...tail]);
      if (!v8 && WebAssembly.validate(b)) v8 = true;
      if (!us && ours(b)) us = true;
    }
    if (v8 !== us) diffs.push(`${p.map((x) => x.toString(16)).join(" ")}: v8 ${v8} ours ${us}`);
  }
  console.log(diffs.join("\n"));
});
