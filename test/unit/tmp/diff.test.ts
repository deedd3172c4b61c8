import { it } from "vitest";
import { FEATURES, loadWabt } from "../helpers/wat.js";
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
it("diff", async () => {
  const w = await loadWabt();
  const ours = (b: Uint8Array) => { try { inspectModule(b); return true; } catch (e) { return false; } };
  const theirs = (b: Uint8Array) => { try { w.readWasm(b, { check: false, ...FEATURES }).destroy(); return true; } catch { return false; } };
  const minK = (f: (b: Uint8Array) => boolean, prefix: number[]) => { for (let k = 0; k <= 20; k++) if (f(mod([...prefix, ...new Array(k).fill(0), 0x0b]))) return k; return -1; };
  const diffs: string[] = [];
  const prefixes: number[][] = [];
  for (let op = 0; op < 256; op++) if (![2,3,4,5,0x0b,0xfc,0xfd].includes(op)) prefixes.push([op]);
  for (let s = 0; s < 300; s++) prefixes.push([0xfd, ...leb(s)]);
  for (let s = 0; s < 40; s++) prefixes.push([0xfc, ...leb(s)]);
  for (const p of prefixes) { const a = minK(ours, p), b = minK(theirs, p); if (a !== b) diffs.push(`${p.map(x=>x.toString(16)).join(" ")}: ours ${a} wabt ${b}`); }
  console.log(diffs.join("\n"));
});
