import { WasmValidationError } from "./errors.js";
import { Reader } from "./reader.js";
import type { FuncType } from "./types.js";

const I32 = 0x7f;
const I64 = 0x7e;
const F32 = 0x7d;
const F64 = 0x7c;
const V128 = 0x7b;
const FUNCREF = 0x70;
const EXTERNREF = 0x6f;
/** A value of any type: what an unreachable stack yields. */
const ANY = -1;

const NAMES: Record<number, string> = {
  [I32]: "i32",
  [I64]: "i64",
  [F32]: "f32",
  [F64]: "f64",
  [V128]: "v128",
  [FUNCREF]: "funcref",
  [EXTERNREF]: "externref",
};

/** A value type as messages spell it. */
export function typeName(t: number): string {
  return NAMES[t] ?? "any";
}

/** A global's type. */
export type GlobalType = { type: number; mutable: boolean };

/** What the type checker needs to know of the module around a function body. */
export type CheckContext = {
  types: FuncType[];
  /** Type index of every function, imports first. */
  funcs: number[];
  globals: GlobalType[];
  /** Element type of every table, imports first. */
  tables: number[];
  memories: number;
  /** Element type of every element segment. */
  elems: number[];
  /** The data count section's value; `null` without one (then `memory.init` and `data.drop` are invalid). */
  dataCount: number | null;
  /** Functions a `ref.func` may name: those referenced outside function bodies (exports, elements, globals). */
  refs: Set<number>;
  /** Names of exported functions, for messages. */
  names: Map<number, string>;
};

const NONE: number[] = [];
const EMPTY_BLOCK: [number[], number[]] = [NONE, NONE];
const SINGLE = new Map([I32, I64, F32, F64, V128, FUNCREF, EXTERNREF].map((t) => [t, [t]]));

/** A control frame as `leave` returns it. */
type Frame = { op: number; params: number[]; results: number[] };

const sig = (params: number[], results: number[]): [number[], number[]] => [params, results];

/** Operand and result types of the instructions with no immediates that matter, by opcode. */
const PLAIN = new Map<number, [number[], number[]]>();
function plain(from: number, to: number, params: number[], results: number[]): void {
  for (let op = from; op <= to; op++) PLAIN.set(op, sig(params, results));
}
plain(0x45, 0x45, [I32], [I32]);
plain(0x46, 0x4f, [I32, I32], [I32]);
plain(0x50, 0x50, [I64], [I32]);
plain(0x51, 0x5a, [I64, I64], [I32]);
plain(0x5b, 0x60, [F32, F32], [I32]);
plain(0x61, 0x66, [F64, F64], [I32]);
plain(0x67, 0x69, [I32], [I32]);
plain(0x6a, 0x78, [I32, I32], [I32]);
plain(0x79, 0x7b, [I64], [I64]);
plain(0x7c, 0x8a, [I64, I64], [I64]);
plain(0x8b, 0x91, [F32], [F32]);
plain(0x92, 0x98, [F32, F32], [F32]);
plain(0x99, 0x9f, [F64], [F64]);
plain(0xa0, 0xa6, [F64, F64], [F64]);
plain(0xa7, 0xa7, [I64], [I32]);
plain(0xa8, 0xa9, [F32], [I32]);
plain(0xaa, 0xab, [F64], [I32]);
plain(0xac, 0xad, [I32], [I64]);
plain(0xae, 0xaf, [F32], [I64]);
plain(0xb0, 0xb1, [F64], [I64]);
plain(0xb2, 0xb3, [I32], [F32]);
plain(0xb4, 0xb5, [I64], [F32]);
plain(0xb6, 0xb6, [F64], [F32]);
plain(0xb7, 0xb8, [I32], [F64]);
plain(0xb9, 0xba, [I64], [F64]);
plain(0xbb, 0xbb, [F32], [F64]);
plain(0xbc, 0xbc, [F32], [I32]);
plain(0xbd, 0xbd, [F64], [I64]);
plain(0xbe, 0xbe, [I32], [F32]);
plain(0xbf, 0xbf, [I64], [F64]);
plain(0xc0, 0xc1, [I32], [I32]);
plain(0xc2, 0xc4, [I64], [I64]);

/** Loads and stores (0x28-0x3e): value type and natural alignment (log2 bytes). */
const MEMORY_OPS: [number, number][] = [
  [I32, 2],
  [I64, 3],
  [F32, 2],
  [F64, 3],
  [I32, 0],
  [I32, 0],
  [I32, 1],
  [I32, 1],
  [I64, 0],
  [I64, 0],
  [I64, 1],
  [I64, 1],
  [I64, 2],
  [I64, 2],
  [I32, 2],
  [I64, 3],
  [F32, 2],
  [F64, 3],
  [I32, 0],
  [I32, 1],
  [I64, 0],
  [I64, 1],
  [I64, 2],
];

/** Saturating truncations (0xfc 0-7). */
const TRUNC_SAT: [number, number][] = [
  [F32, I32],
  [F32, I32],
  [F64, I32],
  [F64, I32],
  [F32, I64],
  [F32, I64],
  [F64, I64],
  [F64, I64],
];

// SIMD (0xfd) shapes not covered by the default `[v128 v128] -> [v128]`.
const SIMD = new Map<number, [number[], number[]]>();
const V = [V128];
for (const op of [
  0x4d, 0x5e, 0x5f, 0x60, 0x61, 0x62, 0x67, 0x68, 0x69, 0x6a, 0x74, 0x75, 0x7a, 0x7c, 0x7d, 0x7e, 0x7f, 0x80, 0x81,
  0x87, 0x88, 0x89, 0x8a, 0x94, 0xa0, 0xa1, 0xa7, 0xa8, 0xa9, 0xaa, 0xc0, 0xc1, 0xc7, 0xc8, 0xc9, 0xca, 0xe0, 0xe1,
  0xe3, 0xec, 0xed, 0xef, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
]) {
  SIMD.set(op, sig(V, V));
}
for (const op of [0x53, 0x63, 0x64, 0x83, 0x84, 0xa3, 0xa4, 0xc3, 0xc4]) SIMD.set(op, sig(V, [I32]));
for (const op of [0x6b, 0x6c, 0x6d, 0x8b, 0x8c, 0x8d, 0xab, 0xac, 0xad, 0xcb, 0xcc, 0xcd])
  SIMD.set(op, sig([V128, I32], V));
SIMD.set(0x52, sig([V128, V128, V128], V));
for (const [i, t] of [I32, I32, I32, I64, F32, F64].entries()) SIMD.set(0x0f + i, sig([t], V)); // splats
/** extract_lane / replace_lane (0x15-0x22): lane type and lane count. */
const LANES: [number, number, "extract" | "replace"][] = [
  [I32, 16, "extract"],
  [I32, 16, "extract"],
  [I32, 16, "replace"],
  [I32, 8, "extract"],
  [I32, 8, "extract"],
  [I32, 8, "replace"],
  [I32, 4, "extract"],
  [I32, 4, "replace"],
  [I64, 2, "extract"],
  [I64, 2, "replace"],
  [F32, 4, "extract"],
  [F32, 4, "replace"],
  [F64, 2, "extract"],
  [F64, 2, "replace"],
];
/** Natural alignment of the SIMD loads 0x00-0x0b and 0x5c-0x5d; lane loads/stores 0x54-0x5b: alignment and lanes. */
const SIMD_ALIGN: Record<number, number> = {
  0: 4,
  1: 3,
  2: 3,
  3: 3,
  4: 3,
  5: 3,
  6: 3,
  7: 0,
  8: 1,
  9: 2,
  10: 3,
  11: 4,
  0x5c: 2,
  0x5d: 3,
};

/**
 * Type-checks one function body (the operand stack algorithm of the spec's validation appendix),
 * so deploy refuses what the engine would refuse to compile. The body has been decoded once
 * already (`planBody`): encodings and index ranges are known good, types are checked here.
 */
export function checkBody(bytes: Uint8Array, start: number, end: number, funcIndex: number, ctx: CheckContext): void {
  const type = ctx.types[ctx.funcs[funcIndex]!]!;
  const exported = ctx.names.get(funcIndex);
  const fn = `function ${funcIndex}${exported === undefined ? "" : ` (\`${exported}\`)`}`;
  const r = new Reader(bytes, start, end, `body of ${fn}`);
  const locals = [...type.params];
  for (let n = r.u32(); n > 0; n--) {
    const count = r.u32();
    const t = r.u8();
    for (let i = 0; i < count; i++) locals.push(t);
  }

  const vals: number[] = [];
  // Control frames as parallel arrays (a body may nest a million blocks: no object per frame).
  const fOp: number[] = [];
  const fParams: number[][] = [];
  const fResults: number[][] = [];
  const fHeight: number[] = [];
  const fUnreachable: boolean[] = [];
  let at = r.pos;
  const fail = (what: string): never => {
    throw new WasmValidationError(`type error in ${fn} at offset ${at}: ${what}`, at);
  };
  const push = (t: number): void => void vals.push(t);
  const pop = (expected: number = ANY): number => {
    const top = fOp.length - 1;
    if (vals.length === fHeight[top]) {
      if (fUnreachable[top]) return expected;
      fail(`expected ${expected === ANY ? "a value" : typeName(expected)} but the stack is empty`);
    }
    const actual = vals.pop()!;
    if (expected !== ANY && actual !== ANY && actual !== expected)
      fail(`expected ${typeName(expected)}, found ${typeName(actual)}`);
    return actual === ANY ? expected : actual;
  };
  const popAll = (ts: number[]): void => {
    for (let i = ts.length - 1; i >= 0; i--) pop(ts[i]);
  };
  const pushAll = (ts: number[]): void => {
    for (let i = 0; i < ts.length; i++) vals.push(ts[i]!);
  };
  const enter = (op: number, params: number[], results: number[]): void => {
    fOp.push(op);
    fParams.push(params);
    fResults.push(results);
    fHeight.push(vals.length);
    fUnreachable.push(false);
    pushAll(params);
  };
  // Pops the innermost frame; its op, params and results stay readable in `left`.
  const left = { op: 0, params: NONE, results: NONE };
  const leave = (): Frame => {
    const top = fOp.length - 1;
    const results = fResults[top]!;
    popAll(results);
    const extra = vals.length - fHeight[top]!;
    if (extra !== 0) fail(`${extra} value(s) left on the stack at the end of a block, expected ${show(results)}`);
    fHeight.pop();
    fUnreachable.pop();
    fResults.pop();
    left.op = fOp.pop()!;
    left.params = fParams.pop()!;
    left.results = results;
    return left;
  };
  const unreachable = (): void => {
    const top = fOp.length - 1;
    vals.length = fHeight[top]!;
    fUnreachable[top] = true;
  };
  const label = (depth: number): number[] => {
    if (depth >= fOp.length) fail(`branch depth ${depth} out of range`);
    const i = fOp.length - 1 - depth;
    return fOp[i] === 0x03 ? fParams[i]! : fResults[i]!;
  };
  const blockType = (): [number[], number[]] => {
    const b = r.bytes[r.pos]!;
    if (b === 0x40) return (r.pos++, EMPTY_BLOCK);
    if (b > 0x40 && b < 0x80) return (r.pos++, [NONE, SINGLE.get(b)!]);
    const t = ctx.types[r.s33()]!;
    return [t.params, t.results];
  };
  const memory = (): void => {
    if (ctx.memories === 0) fail("memory instruction without a memory");
  };
  const memArg = (natural: number): void => {
    memory();
    if (r.u32() > natural) fail(`alignment larger than natural (${1 << natural} bytes)`);
    r.u32();
  };
  const table = (i: number): number => {
    const t = ctx.tables[i];
    if (t === undefined) fail(`table index ${i} out of range`);
    return t!;
  };
  const callType = (t: FuncType, tail: boolean): void => {
    popAll(t.params);
    if (tail) {
      if (!same(t.results, type.results))
        fail(`tail call returns ${show(t.results)}, the function returns ${show(type.results)}`);
      unreachable();
    } else pushAll(t.results);
  };
  const indirect = (tail: boolean): void => {
    const t = ctx.types[r.u32()]!;
    if (table(r.u32()) !== FUNCREF) fail("call_indirect through a table that is not funcref");
    pop(I32);
    callType(t, tail);
  };

  enter(0x00, [], type.results);
  while (fOp.length > 0) {
    at = r.pos;
    const op = r.u8();
    const p = PLAIN.get(op);
    if (p !== undefined) {
      popAll(p[0]);
      pushAll(p[1]);
      continue;
    }
    if (op >= 0x28 && op <= 0x3e) {
      const [t, natural] = MEMORY_OPS[op - 0x28]!;
      memArg(natural);
      if (op <= 0x35) {
        pop(I32);
        push(t);
      } else {
        pop(t);
        pop(I32);
      }
      continue;
    }
    switch (op) {
      case 0x00:
        unreachable();
        break;
      case 0x01:
        break;
      case 0x02:
      case 0x03: {
        const [params, results] = blockType();
        popAll(params);
        enter(op, params, results);
        break;
      }
      case 0x04: {
        const [params, results] = blockType();
        pop(I32);
        popAll(params);
        enter(op, params, results);
        break;
      }
      case 0x05: {
        const frame = leave(); // an `if` frame: planBody refused any other `else`
        enter(0x05, frame.params, frame.results);
        break;
      }
      case 0x0b: {
        const frame = leave();
        // An `if` without `else` must leave what it was given: its implicit else passes params through.
        if (frame.op === 0x04 && !same(frame.params, frame.results))
          fail(`\`if\` without \`else\` must return its parameters ${show(frame.params)}, not ${show(frame.results)}`);
        pushAll(frame.results);
        break;
      }
      case 0x0c:
        popAll(label(r.u32()));
        unreachable();
        break;
      case 0x0d: {
        const ts = label(r.u32());
        pop(I32);
        popAll(ts);
        pushAll(ts);
        break;
      }
      case 0x0e: {
        const targets: number[] = [];
        for (let n = r.u32(); n >= 0; n--) targets.push(r.u32());
        pop(I32);
        const arity = label(targets[targets.length - 1]!).length;
        for (const depth of targets) {
          const ts = label(depth);
          if (ts.length !== arity) fail("br_table targets of different arity");
          // Each target pops its own types from the same stack: check without consuming.
          const saved = vals.slice();
          popAll(ts);
          vals.length = 0;
          vals.push(...saved);
        }
        popAll(label(targets[targets.length - 1]!));
        unreachable();
        break;
      }
      case 0x0f:
        popAll(type.results);
        unreachable();
        break;
      case 0x10:
      case 0x12:
        callType(ctx.types[ctx.funcs[r.u32()]!]!, op === 0x12);
        break;
      case 0x11:
      case 0x13:
        indirect(op === 0x13);
        break;
      case 0x1a:
        pop();
        break;
      case 0x1b: {
        pop(I32);
        const a = pop();
        const b = pop(a);
        const t = a === ANY ? b : a;
        if (t === FUNCREF || t === EXTERNREF) fail("`select` without a type on reference operands");
        push(t);
        break;
      }
      case 0x1c: {
        r.u32();
        const t = r.u8();
        pop(I32);
        pop(t);
        pop(t);
        push(t);
        break;
      }
      case 0x20:
      case 0x21:
      case 0x22: {
        const t = locals[r.u32()];
        if (t === undefined) fail(`local index out of range (${locals.length} locals)`);
        if (op === 0x20) push(t!);
        else if (op === 0x21) pop(t);
        else push(pop(t));
        break;
      }
      case 0x23:
        push(ctx.globals[r.u32()]!.type);
        break;
      case 0x24: {
        const g = ctx.globals[r.u32()]!;
        if (!g.mutable) fail("global.set of an immutable global");
        pop(g.type);
        break;
      }
      case 0x25: {
        const t = table(r.u32());
        pop(I32);
        push(t);
        break;
      }
      case 0x26: {
        const t = table(r.u32());
        pop(t);
        pop(I32);
        break;
      }
      case 0x3f:
        r.u8();
        memory();
        push(I32);
        break;
      case 0x40:
        r.u8();
        memory();
        pop(I32);
        push(I32);
        break;
      case 0x41:
        r.s32();
        push(I32);
        break;
      case 0x42:
        r.skipS64();
        push(I64);
        break;
      case 0x43:
        r.skip(4);
        push(F32);
        break;
      case 0x44:
        r.skip(8);
        push(F64);
        break;
      case 0xd0:
        push(r.u8());
        break;
      case 0xd1: {
        const t = pop();
        if (t !== ANY && t !== FUNCREF && t !== EXTERNREF) fail(`ref.is_null of ${typeName(t)}`);
        push(I32);
        break;
      }
      case 0xd2: {
        const f = r.u32();
        if (!ctx.refs.has(f))
          fail(`ref.func of function ${f}, which is not declared (by an export, element segment or global)`);
        push(FUNCREF);
        break;
      }
      case 0xfc:
        prefixFC();
        break;
      case 0xfd:
        prefixFD();
        break;
    }
  }
  r.expectEnd();

  function prefixFC(): void {
    const sub = r.u32();
    if (sub <= 7) {
      const [from, to] = TRUNC_SAT[sub]!;
      pop(from);
      push(to);
      return;
    }
    const three = (): void => popAll([I32, I32, I32]);
    switch (sub) {
      case 8: {
        const seg = r.u32();
        r.u8();
        memory();
        data(seg);
        return three();
      }
      case 9:
        return data(r.u32());
      case 10:
        r.u8();
        r.u8();
        memory();
        return three();
      case 11:
        r.u8();
        memory();
        return three();
      case 12: {
        const e = elem(r.u32());
        if (table(r.u32()) !== e) fail("table.init of an element segment of another reference type");
        return three();
      }
      case 13:
        return void elem(r.u32());
      case 14: {
        const dst = table(r.u32());
        if (table(r.u32()) !== dst) fail("table.copy between tables of different reference types");
        return three();
      }
      case 15: {
        const t = table(r.u32());
        pop(I32);
        pop(t);
        return push(I32);
      }
      case 16:
        table(r.u32());
        return push(I32);
      case 17: {
        const t = table(r.u32());
        pop(I32);
        pop(t);
        return void pop(I32);
      }
    }
  }

  function data(seg: number): void {
    if (ctx.dataCount === null) fail("memory.init or data.drop needs a data count section");
    if (seg >= ctx.dataCount!) fail(`data segment ${seg} out of range`);
  }

  function elem(seg: number): number {
    const t = ctx.elems[seg];
    if (t === undefined) fail(`element segment ${seg} out of range`);
    return t!;
  }

  function prefixFD(): void {
    const sub = r.u32();
    if (sub <= 0x0b || sub === 0x5c || sub === 0x5d) {
      memArg(SIMD_ALIGN[sub]!);
      if (sub === 0x0b) {
        pop(V128);
        pop(I32);
      } else {
        pop(I32);
        push(V128);
      }
      return;
    }
    if (sub >= 0x54 && sub <= 0x5b) {
      const size = (sub - 0x54) % 4;
      memArg(size);
      lane(16 >> size);
      pop(V128);
      pop(I32);
      if (sub <= 0x57) push(V128);
      return;
    }
    if (sub === 0x0c) return (r.skip(16), push(V128));
    if (sub === 0x0d) {
      for (let i = 0; i < 16; i++) if (r.u8() >= 32) fail("i8x16.shuffle lane index out of range");
      popAll([V128, V128]);
      return push(V128);
    }
    if (sub >= 0x15 && sub <= 0x22) {
      const [t, lanes, kind] = LANES[sub - 0x15]!;
      lane(lanes);
      if (kind === "extract") {
        pop(V128);
        return push(t);
      }
      pop(t);
      pop(V128);
      return push(V128);
    }
    const [params, results] = SIMD.get(sub) ?? sig([V128, V128], V);
    popAll(params);
    pushAll(results);
  }

  function lane(lanes: number): void {
    if (r.u8() >= lanes) fail(`lane index out of range (${lanes} lanes)`);
  }
}

function same(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

function show(ts: number[]): string {
  return `[${ts.map(typeName).join(" ")}]`;
}
