import { WasmValidationError, hex } from "./errors.js";
import type { Reader } from "./reader.js";

/**
 * Index-space sizes of the original module; immediates are checked against them (see `checkIndex`).
 * `refs` collects the functions named outside function bodies (what `ref.func` may name).
 */
export type IndexSpace = {
  types: number;
  funcs: number;
  globals: number;
  refs?: Set<number>;
  /** Types of the globals known so far (imports, then those defined before), for constant expressions. */
  globalTypes?: { type: number; mutable: boolean }[];
  /** Element types of the tables, for active element segments. */
  tables?: number[];
};

// Immediate shapes of one-byte opcodes.
enum Imm {
  Unknown,
  None,
  BlockType,
  Index,
  BrTable,
  Func,
  CallIndirect,
  Global,
  MemArg,
  ZeroByte,
  I32,
  I64,
  F32,
  F64,
  SelectT,
  RefNull,
  Prefix0xFC,
  Prefix0xFD,
  Eh,
  Typed,
  Threads,
}

const ONE_BYTE = new Uint8Array(256); // Imm.Unknown everywhere by default
function set(from: number, to: number, imm: Imm): void {
  ONE_BYTE.fill(imm, from, to + 1);
}
set(0x00, 0x01, Imm.None); // unreachable nop
set(0x02, 0x04, Imm.BlockType); // block loop if
set(0x05, 0x05, Imm.None); // else
set(0x06, 0x0a, Imm.Eh); // try catch throw rethrow throw_ref
set(0x0b, 0x0b, Imm.None); // end
set(0x0c, 0x0d, Imm.Index); // br br_if
set(0x0e, 0x0e, Imm.BrTable);
set(0x0f, 0x0f, Imm.None); // return
set(0x10, 0x10, Imm.Func); // call
set(0x11, 0x11, Imm.CallIndirect);
set(0x12, 0x12, Imm.Func); // return_call (tail calls)
set(0x13, 0x13, Imm.CallIndirect); // return_call_indirect
set(0x14, 0x15, Imm.Typed); // call_ref return_call_ref
set(0x18, 0x19, Imm.Eh); // delegate catch_all
set(0x1a, 0x1b, Imm.None); // drop select
set(0x1c, 0x1c, Imm.SelectT);
set(0x1f, 0x1f, Imm.Eh); // try_table
set(0x20, 0x22, Imm.Index); // local.get/set/tee
set(0x23, 0x24, Imm.Global);
set(0x25, 0x26, Imm.Index); // table.get/set
set(0x28, 0x3e, Imm.MemArg); // loads and stores
set(0x3f, 0x40, Imm.ZeroByte); // memory.size memory.grow
set(0x41, 0x41, Imm.I32);
set(0x42, 0x42, Imm.I64);
set(0x43, 0x43, Imm.F32);
set(0x44, 0x44, Imm.F64);
set(0x45, 0xc4, Imm.None); // numeric MVP (0x45-0xbf) and sign extension (0xc0-0xc4)
set(0xd0, 0xd0, Imm.RefNull);
set(0xd1, 0xd1, Imm.None); // ref.is_null
set(0xd2, 0xd2, Imm.Func); // ref.func
set(0xd3, 0xd6, Imm.Typed); // ref.eq ref.as_non_null br_on_null br_on_non_null
set(0xfb, 0xfb, Imm.Typed); // GC
set(0xfc, 0xfc, Imm.Prefix0xFC);
set(0xfd, 0xfd, Imm.Prefix0xFD);
set(0xfe, 0xfe, Imm.Threads);

// SIMD (0xFD) sub-opcodes 0..255: 0 = unknown, 1 = none, 2 = memarg, 3 = 16 bytes, 4 = lane, 5 = memarg + lane.
const SIMD = new Uint8Array(256).fill(1);
SIMD.fill(2, 0x00, 0x0c); // v128.load* and v128.store
SIMD.fill(3, 0x0c, 0x0e); // v128.const i8x16.shuffle
SIMD.fill(4, 0x15, 0x23); // extract_lane / replace_lane
SIMD.fill(5, 0x54, 0x5c); // load*_lane store*_lane
SIMD.fill(2, 0x5c, 0x5e); // v128.load32_zero v128.load64_zero
for (const op of [
  0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2,
  0xee,
]) {
  SIMD[op] = 0; // reserved gaps in the SIMD opcode space
}

const VALTYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);

/** Reads one value type (i32 i64 f32 f64 v128 funcref externref). */
export function readValType(r: Reader): number {
  const at = r.pos;
  const t = r.u8();
  if (VALTYPES.has(t)) return t;
  if (t === 0x63 || t === 0x64) {
    throw new WasmValidationError(`unsupported value type ${hex(t)} (typed references) at offset ${at}`, at);
  }
  throw new WasmValidationError(`bad value type ${hex(t)} at offset ${at}`, at);
}

/** Reads a reference type (funcref or externref). */
export function readRefType(r: Reader): number {
  const at = r.pos;
  const t = r.u8();
  if (t === 0x70 || t === 0x6f) return t;
  throw new WasmValidationError(`bad reference type ${hex(t)} at offset ${at}`, at);
}

/**
 * Checks an index immediate against the original module's index space. This is what keeps an
 * agent from naming the fuel and OOM globals (or the grow helper) that instrumentation appends:
 * such an index is out of range in the module as uploaded, and would silently become valid after.
 */
export function checkIndex(r: Reader, space: "types" | "funcs" | "globals", ctx: IndexSpace, at = r.pos): number {
  const i = r.u32();
  const limit = ctx[space];
  if (i >= limit) {
    const what = space === "types" ? "type" : space === "funcs" ? "function" : "global";
    throw new WasmValidationError(`${what} index ${i} out of range (${limit} defined) at offset ${at}`, at);
  }
  return i;
}

/** Reads a single zero byte (the reserved memory index of the MVP and bulk-memory encodings). */
export function zeroByte(r: Reader): void {
  const at = r.pos;
  if (r.u8() !== 0) throw new WasmValidationError(`expected memory index byte 0x00 at offset ${at}`, at);
}

/** Reads a block type: empty (0x40), one value type, or a type index (s33, multi-value). */
export function readBlockType(r: Reader, ctx: IndexSpace): void {
  const at = r.pos;
  r.need(1);
  const b = r.bytes[at] as number;
  if (b === 0x40) return r.skip(1);
  if (b > 0x40 && b < 0x80) return void readValType(r);
  const idx = r.s33();
  if (idx < 0 || idx >= ctx.types) {
    throw new WasmValidationError(`block type index ${idx} out of range at offset ${at}`, at);
  }
}

function memArg(r: Reader): void {
  const at = r.pos;
  const align = r.u32();
  if (align >= 0x40) throw new WasmValidationError(`unsupported memory argument (multi-memory) at offset ${at}`, at);
  r.u32();
}

/** `select t*`: the spec's validation allows exactly one type (more would be multi-value select). */
function selectTypes(r: Reader): void {
  const at = r.pos;
  if (r.u32() !== 1) throw new WasmValidationError(`\`select\` must name exactly one type at offset ${at}`, at);
  readValType(r);
}

function unsupported(op: string, what: string, at: number): WasmValidationError {
  return new WasmValidationError(`unsupported instruction ${op} (${what}) at offset ${at}`, at);
}

function unknown(op: string, at: number): WasmValidationError {
  return new WasmValidationError(`unknown instruction ${op} at offset ${at}`, at);
}

/**
 * Decodes one instruction at `r.pos` (opcode and immediates), checking index immediates, and
 * returns its first opcode byte. Rejects unknown opcodes and unsupported proposals.
 */
export function readInstruction(r: Reader, ctx: IndexSpace): number {
  const at = r.pos;
  const op = r.u8();
  switch (ONE_BYTE[op] as Imm) {
    case Imm.None:
      break;
    case Imm.BlockType:
      readBlockType(r, ctx);
      break;
    case Imm.Index:
      r.u32();
      break;
    case Imm.BrTable:
      for (let n = r.u32(); n >= 0; n--) r.u32();
      break;
    case Imm.Func:
      checkIndex(r, "funcs", ctx);
      break;
    case Imm.CallIndirect:
      checkIndex(r, "types", ctx);
      r.u32();
      break;
    case Imm.Global:
      checkIndex(r, "globals", ctx);
      break;
    case Imm.MemArg:
      memArg(r);
      break;
    case Imm.ZeroByte:
      zeroByte(r);
      break;
    case Imm.I32:
      r.s32();
      break;
    case Imm.I64:
      r.skipS64();
      break;
    case Imm.F32:
      r.skip(4);
      break;
    case Imm.F64:
      r.skip(8);
      break;
    case Imm.SelectT:
      selectTypes(r);
      break;
    case Imm.RefNull:
      readRefType(r);
      break;
    case Imm.Prefix0xFC:
      prefixFC(r, at);
      break;
    case Imm.Prefix0xFD:
      prefixFD(r, at);
      break;
    case Imm.Eh:
      throw unsupported(hex(op), "exception handling", at);
    case Imm.Typed:
      throw unsupported(hex(op), "typed references / GC", at);
    case Imm.Threads:
      throw unsupported(hex(op), "threads", at);
    case Imm.Unknown:
      throw unknown(hex(op), at);
  }
  return op;
}

/** 0xFC: saturating truncation (0-7), bulk memory (8-11) and table instructions (12-17). */
function prefixFC(r: Reader, at: number): void {
  const sub = r.u32();
  if (sub <= 7) return;
  switch (sub) {
    case 8:
      r.u32();
      zeroByte(r);
      return; // memory.init data 0
    case 9:
      r.u32();
      return; // data.drop
    case 10:
      zeroByte(r);
      zeroByte(r);
      return; // memory.copy 0 0
    case 11:
      zeroByte(r);
      return; // memory.fill 0
    case 12:
    case 14:
      r.u32();
      r.u32();
      return; // table.init elem table, table.copy dst src
    case 13:
    case 15:
    case 16:
    case 17:
      r.u32();
      return; // elem.drop, table.grow/size/fill
  }
  throw unknown(`0xfc ${sub}`, at);
}

/** 0xFD: fixed-width SIMD. */
function prefixFD(r: Reader, at: number): void {
  const sub = r.u32();
  switch (sub < 256 ? SIMD[sub] : 0) {
    case 1:
      return;
    case 2:
      return memArg(r);
    case 3:
      return r.skip(16);
    case 4:
      return r.skip(1);
    case 5:
      memArg(r);
      return r.skip(1);
  }
  throw unknown(`0xfd ${sub}`, at);
}

const TYPE_NAMES: Record<number, string> = {
  0x7f: "i32",
  0x7e: "i64",
  0x7d: "f32",
  0x7c: "f64",
  0x7b: "v128",
  0x70: "funcref",
  0x6f: "externref",
};

/**
 * Reads a constant expression up to its `end` (global initialisers, segment offsets, element
 * items): constants, `global.get` of an immutable global defined before, `ref.null`, `ref.func`
 * and extended-const arithmetic; it must produce exactly one value of type `expected`. Without
 * `expected` (re-reading a module already validated, as `sandbox/globals.ts` does) only its
 * encoding is checked.
 */
export function readConstExpr(r: Reader, ctx: IndexSpace, expected?: number): void {
  const start = r.pos;
  const stack: number[] = [];
  const fail = (what: string, at: number): never => {
    throw new WasmValidationError(`type error in a constant expression at offset ${at}: ${what}`, at);
  };
  for (;;) {
    const at = r.pos;
    const op = r.u8();
    switch (op) {
      case 0x0b: {
        const got = stack.map((t) => TYPE_NAMES[t]).join(" ") || "nothing";
        if (expected !== undefined && (stack.length !== 1 || stack[0] !== expected))
          fail(`expected ${TYPE_NAMES[expected]}, got ${got}`, start);
        return;
      }
      case 0x41:
        r.s32();
        stack.push(0x7f);
        break;
      case 0x42:
        r.skipS64();
        stack.push(0x7e);
        break;
      case 0x43:
        r.skip(4);
        stack.push(0x7d);
        break;
      case 0x44:
        r.skip(8);
        stack.push(0x7c);
        break;
      case 0x23: {
        const index = checkIndex(r, "globals", ctx);
        if (expected === undefined) break;
        const g = ctx.globalTypes?.[index];
        if (g === undefined || g.mutable) fail("`global.get` must name an immutable global defined before", at);
        stack.push(g!.type);
        break;
      }
      case 0xd0:
        stack.push(readRefType(r));
        break;
      case 0xd2:
        ctx.refs?.add(checkIndex(r, "funcs", ctx));
        stack.push(0x70);
        break;
      case 0x6a:
      case 0x6b:
      case 0x6c:
      case 0x7c:
      case 0x7d:
      case 0x7e: {
        // extended const
        const t = op < 0x70 ? 0x7f : 0x7e;
        if (expected !== undefined && (stack.pop() !== t || stack.pop() !== t))
          fail(`\`${TYPE_NAMES[t]}\` arithmetic on the wrong operands`, at);
        stack.push(t);
        break;
      }
      case 0xfd:
        if (r.u32() !== 12) throw unsupported("0xfd", "not constant", at);
        r.skip(16);
        stack.push(0x7b);
        break;
      default:
        throw new WasmValidationError(
          `instruction ${hex(op)} is not allowed in a constant expression at offset ${at}`,
          at,
        );
    }
  }
}
