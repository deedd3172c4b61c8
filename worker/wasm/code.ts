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

/**
 * Locals (parameters included) a function may have: the JS API's limit of 50,000, less the two
 * locals instrumentation adds (the fuel counter and a scratch i32), so the prepared module stays
 * within what the engine compiles.
 */
export const MAX_LOCALS = 50_000 - 2;

/** `0xfc` sub-opcodes whose cost grows with their length operand (the i32 on top of the stack). */
const BULK = new Set([8, 10, 11, 12, 14, 15, 17]); // memory.init/copy/fill, table.init/copy/grow/fill

/**
 * Decodes one function body (locals and every instruction) and plans its instrumentation.
 * `params` is the number of parameters of the function's type (the fuel local comes after them
 * and the declared locals).
 *
 * Cost model: a *region* is the function body or a loop body; every instruction counts 1 towards
 * the innermost region containing it (the `loop` instruction itself towards the outer region,
 * its matching `end` towards the loop's). The function's cost is charged at entry; a loop's cost
 * is charged right after its `loop` header, so every iteration (every branch back) pays it.
 * Straight-line code, blocks and both arms of an `if` are charged up front, an over-estimate
 * that needs no checks on forward branches. Bulk memory and table instructions also pay their
 * length operand (bytes or elements, times `BULK_FUEL_PER_BYTE`) before they run.
 *
 * The counter lives in a local while the function runs; the plan marks where it must meet the
 * global: reloaded after every call (the callee, or a host function, spent from the global),
 * flushed before every call, every `return`, every branch out of the function and its final `end`
 * — except where nothing was charged since the last flush or reload on every path there (a call
 * right after a call, a return after a call), where the global holds the local's value already.
 */
export function planBody(bytes: Uint8Array, body: Body, ctx: IndexSpace, params = 0): BodyPlan {
  const fn = `function ${body.funcIndex}`;
  const r = new Reader(bytes, body.start, body.end, `body of ${fn}`);
  let locals = params;
  const groups = r.u32();
  const localsAt = r.pos;
  for (let n = groups; n > 0; n--) {
    locals += r.u32();
    if (locals > MAX_LOCALS)
      throw new WasmValidationError(`too many locals in ${fn} (at most ${MAX_LOCALS}, parameters included)`, r.pos);
    readValType(r);
  }
  const codeStart = r.pos;

  const patches: Patch[] = [];
  const frames: number[] = [FUNC];
  const regions: number[] = [0]; // instruction counts of the open regions, innermost last
  const loops: { kind: "fuel"; at: number; cost: number }[] = [];
  // Whether the fuel local equals the global here (nothing charged since the last flush or reload),
  // so a flush would store what is there already. Unreachable code counts as in sync (it never
  // runs, and `true` is neutral where paths meet). Per frame: whether every branch to its `end`
  // so far came in sync, and (an `if`) the state its `else` arm starts from.
  let synced = false; // the entry charge
  const syncedAtEnd: boolean[] = [true];
  const syncedAtIf: boolean[] = [false];
  const open = (frame: number): void => {
    frames.push(frame);
    syncedAtEnd.push(true);
    syncedAtIf.push(synced);
  };
  const branch = (depth: number): void => {
    const i = frames.length - 1 - depth;
    if (i > 0 && frames[i] !== LOOP) syncedAtEnd[i] = syncedAtEnd[i]! && synced;
  };
  const flushHere = (at: number): void => {
    if (!synced) patches.push({ kind: "flush", at });
    synced = true;
  };
  let funcCost = 0;
  while (frames.length > 0) {
    if (r.atEnd()) {
      throw new WasmValidationError(`${fn} ends without a final \`end\` at offset ${r.pos}`, r.pos);
    }
    const at = r.pos;
    const op = readInstruction(r, ctx);
    regions[regions.length - 1]! += 1;
    switch (op) {
      case 0x00:
        synced = true; // unreachable
        break;
      case 0x02:
        open(BLOCK);
        break;
      case 0x04:
        open(IF);
        break;
      case 0x03: {
        open(LOOP);
        regions.push(0);
        const patch = { kind: "fuel" as const, at: r.pos, cost: 0 };
        loops.push(patch);
        patches.push(patch);
        synced = false;
        break;
      }
      case 0x05:
        if (frames[frames.length - 1] !== IF) {
          throw new WasmValidationError(`\`else\` without \`if\` in ${fn} at offset ${at}`, at);
        }
        frames[frames.length - 1] = ELSE;
        syncedAtEnd[frames.length - 1] = syncedAtEnd[frames.length - 1]! && synced;
        synced = syncedAtIf[frames.length - 1]!;
        break;
      case 0x0b: {
        const frame = frames.pop();
        const atEnd = syncedAtEnd.pop()!;
        const atIf = syncedAtIf.pop()!;
        if (frame === LOOP) loops.pop()!.cost = regions.pop()!;
        if (frame === FUNC) {
          funcCost = regions.pop()!;
          flushHere(at);
        } else if (frame !== LOOP) {
          // An `if` without `else` also ends from its condition, false.
          synced = synced && atEnd && (frame !== IF || atIf);
        }
        break;
      }
      case 0x0c:
      case 0x0d:
      case 0x0e: {
        const depths = labels(bytes, at, r.pos);
        if (depths.includes(frames.length - 1)) flushHere(at);
        for (const d of depths) branch(d);
        if (op !== 0x0d) synced = true; // br, br_table: what follows is unreachable
        break;
      }
      case 0x0f:
      case 0x12:
      case 0x13:
        flushHere(at);
        break; // return, return_call(_indirect); what follows is unreachable
      case 0x10:
      case 0x11:
        patches.push({ kind: "call", at, end: r.pos, flush: !synced });
        synced = true; // reloaded from the global after the call
        break;
      case 0x40:
        patches.push({ kind: "grow", at, length: r.pos - at });
        break;
      case 0xfc:
        if (BULK.has(new Reader(bytes, at + 1, r.pos, "").u32())) {
          patches.push({ kind: "bulk", at });
          synced = false;
        }
        break;
    }
  }
  r.expectEnd();
  return { body, codeStart, cost: funcCost, patches, localsAt, groups, fuelLocal: locals };
}

/** The label depths of the branch at `at` (already decoded up to `end`). */
function labels(bytes: Uint8Array, at: number, end: number): number[] {
  const r = new Reader(bytes, at + 1, end, "");
  if (bytes[at] !== 0x0e) return [r.u32()];
  const out: number[] = [];
  for (let n = r.u32(); n >= 0; n--) out.push(r.u32());
  return out;
}
