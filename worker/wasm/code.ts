import { WasmValidationError } from "./errors.js";
import { type IndexSpace, readInstruction, readValType } from "./opcodes.js";
import type { Body, BodyPlan, Patch } from "./types.js";
import { Reader } from "./reader.js";

// Control frames on the decoder's stack.
const FUNC = 0;
const BLOCK = 1;
const IF = 2;
const ELSE = 3;
const LOOP = 4;

const MAX_LOCALS = 0xffffffff;

/**
 * Decodes one function body (locals and every instruction) and plans its instrumentation.
 *
 * Cost model: a *region* is the function body or a loop body; every instruction counts 1 towards
 * the innermost region containing it (the `loop` instruction itself towards the outer region,
 * its matching `end` towards the loop's). The function's cost is charged at entry; a loop's cost
 * is charged right after its `loop` header, so every iteration (every branch back) pays it.
 * Straight-line code, blocks and both arms of an `if` are charged up front, an over-estimate
 * that needs no checks on forward branches.
 */
export function planBody(bytes: Uint8Array, body: Body, ctx: IndexSpace): BodyPlan {
  const fn = `function ${body.funcIndex}`;
  const r = new Reader(bytes, body.start, body.end, `body of ${fn}`);
  let locals = 0;
  for (let n = r.u32(); n > 0; n--) {
    locals += r.u32();
    if (locals > MAX_LOCALS) throw new WasmValidationError(`too many locals in ${fn}`, r.pos);
    readValType(r);
  }
  const codeStart = r.pos;

  const patches: Patch[] = [];
  const frames: number[] = [FUNC];
  const regions: number[] = [0]; // instruction counts of the open regions, innermost last
  const loops: { kind: "fuel"; at: number; cost: number }[] = [];
  let funcCost = 0;
  while (frames.length > 0) {
    if (r.atEnd()) {
      throw new WasmValidationError(`${fn} ends without a final \`end\` at offset ${r.pos}`, r.pos);
    }
    const at = r.pos;
    const op = readInstruction(r, ctx);
    regions[regions.length - 1]! += 1;
    switch (op) {
      case 0x02: frames.push(BLOCK); break;
      case 0x04: frames.push(IF); break;
      case 0x03: {
        frames.push(LOOP);
        regions.push(0);
        const patch = { kind: "fuel" as const, at: r.pos, cost: 0 };
        loops.push(patch);
        patches.push(patch);
        break;
      }
      case 0x05:
        if (frames[frames.length - 1] !== IF) {
          throw new WasmValidationError(`\`else\` without \`if\` in ${fn} at offset ${at}`, at);
        }
        frames[frames.length - 1] = ELSE;
        break;
      case 0x0b: {
        const frame = frames.pop();
        if (frame === LOOP) loops.pop()!.cost = regions.pop()!;
        if (frame === FUNC) funcCost = regions.pop()!;
        break;
      }
      case 0x40: patches.push({ kind: "grow", at, length: r.pos - at }); break;
    }
  }
  r.expectEnd();
  return { body, codeStart, cost: funcCost, patches };
}
