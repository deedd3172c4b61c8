import { matches } from "./abi.js";
import { BULK_FUEL_SHIFT } from "./costs.js";
import { Reader } from "./reader.js";
import { ORDER, SECTION, sectionLabel } from "./sections.js";
import type { BodyPlan, ParsedModule, PrepareOptions, PreparedModule, Section } from "./types.js";
import { FUEL_EXPORT, OOM_EXPORT, infoOf, validateParsed } from "./validate.js";
import { Writer } from "./writer.js";

const I32 = 0x7f;
const I64 = 0x7e;
const GROW_TYPE = { params: [I32], results: [I32], text: "(i32) -> i32" };
const MAX_I64 = (1n << 63n) - 1n;

/** Where instrumentation puts what it adds; every index comes after the module's own. */
type Layout = { fuel: number; oom: number; grow: number; growType: number; newType: boolean };

/**
 * The fixed code of one function's fuel checks; `L` is its fuel local (i64), `S` the scratch i32
 * after it, `G` the fuel global. A check subtracts from the local and, once it goes negative,
 * stores it to the global (so the host tells fuel exhaustion from other traps) and traps.
 */
type FuelCode = {
  /** `global.get G; i64.const` (entry: charge straight from the global into the local) */
  entry: Uint8Array;
  /** `local.get L; i64.const` (a loop header) */
  loop: Uint8Array;
  /** `i64.sub; local.tee L; i64.const 0; i64.lt_s; if; local.get L; global.set G; unreachable; end` */
  check: Uint8Array;
  /** `local.get L; global.set G` */
  flush: Uint8Array;
  /** `global.get G; local.set L` */
  reload: Uint8Array;
  /** `local.tee S; local.get L; local.get S; i64.extend_i32_u; i64.const k; i64.shl` (then `check`): charges the length operand */
  bulk: Uint8Array;
};

function fuelCode(fuel: number, local: number): FuelCode {
  const w = () => new Writer(16);
  return {
    entry: w().u8(0x23).u32(fuel).u8(0x42).finish(),
    loop: w().u8(0x20).u32(local).u8(0x42).finish(),
    check: w()
      .u8(0x7d)
      .u8(0x22)
      .u32(local)
      .u8(0x42)
      .u8(0x00)
      .u8(0x53)
      .u8(0x04)
      .u8(0x40)
      .u8(0x20)
      .u32(local)
      .u8(0x24)
      .u32(fuel)
      .u8(0x00)
      .u8(0x0b)
      .finish(),
    flush: w().u8(0x20).u32(local).u8(0x24).u32(fuel).finish(),
    reload: w().u8(0x23).u32(fuel).u8(0x21).u32(local).finish(),
    bulk: w()
      .u8(0x22)
      .u32(local + 1)
      .u8(0x20)
      .u32(local)
      .u8(0x20)
      .u32(local + 1)
      .u8(0xad)
      .u8(0x42)
      .u8(BULK_FUEL_SHIFT)
      .u8(0x86)
      .finish(),
  };
}

/** `(func (param i32) (result i32) (local i32) memory.grow, and on -1 set the OOM global)` */
function growBody(oom: number): Uint8Array {
  const code = new Writer()
    .u8(0x01)
    .u8(0x01)
    .u8(I32) // one local i32
    .u8(0x20)
    .u8(0x00)
    .u8(0x40)
    .u8(0x00)
    .u8(0x22)
    .u8(0x01) // local.get 0; memory.grow 0; local.tee 1
    .u8(0x41)
    .u8(0x7f)
    .u8(0x46) // i32.const -1; i32.eq
    .u8(0x04)
    .u8(0x40)
    .u8(0x41)
    .u8(0x01)
    .u8(0x24)
    .u32(oom)
    .u8(0x0b) // if; i32.const 1; global.set oom; end
    .u8(0x20)
    .u8(0x01)
    .u8(0x0b) // local.get 1; end
    .finish();
  return new Writer().u32(code.length).bytes(code).finish();
}

function rewriteBody(bytes: Uint8Array, plan: BodyPlan, l: Layout, out: Writer): void {
  const { body, codeStart, cost, patches, localsAt, groups, fuelLocal } = plan;
  const fuel = fuelCode(l.fuel, fuelLocal);
  const w = new Writer(body.end - body.start + 32 * (patches.length + 2));
  // The declared locals, then the fuel counter (i64) and the scratch (i32).
  w.u32(groups + 2)
    .bytes(bytes.subarray(localsAt, codeStart))
    .u8(1)
    .u8(I64)
    .u8(1)
    .u8(I32);
  w.bytes(fuel.entry).sPositive(cost).bytes(fuel.check);
  let pos = codeStart;
  for (const p of patches) {
    w.bytes(bytes.subarray(pos, p.at));
    pos = p.at;
    switch (p.kind) {
      case "fuel":
        w.bytes(fuel.loop).sPositive(p.cost).bytes(fuel.check);
        break;
      case "flush":
        w.bytes(fuel.flush);
        break;
      case "bulk":
        w.bytes(fuel.bulk).bytes(fuel.check);
        break;
      case "call":
        if (p.flush) w.bytes(fuel.flush);
        w.bytes(bytes.subarray(p.at, p.end)).bytes(fuel.reload);
        pos = p.end;
        break;
      case "grow":
        w.u8(0x10).u32(l.grow); // memory.grow 0 -> call $__agtest_grow
        pos = p.at + p.length;
        break;
    }
  }
  w.bytes(bytes.subarray(pos, body.end));
  out.u32(w.length).bytes(w.view());
}

/** Writes a vector section's count plus `extra`, its entries verbatim, then the new entries. */
function extend(bytes: Uint8Array, s: Section | undefined, extra: number, add: (w: Writer) => void): Uint8Array {
  const w = new Writer(s === undefined ? 64 : s.end - s.start + 64);
  if (s === undefined) {
    w.u32(extra);
  } else {
    const r = new Reader(bytes, s.start, s.end, sectionLabel(s.id));
    w.u32(r.u32() + extra).bytes(bytes.subarray(r.pos, s.end));
  }
  add(w);
  return w.finish();
}

function payloads(
  m: ParsedModule,
  l: Layout,
  fuel: bigint,
  memory: { initial: number; maximum: number },
): Map<number, Uint8Array> {
  const { bytes } = m;
  const find = (id: number): Section | undefined => m.sections.find((s) => s.id === id);
  const out = new Map<number, Uint8Array>();
  out.set(
    SECTION.type,
    extend(bytes, find(SECTION.type), l.newType ? 1 : 0, (w) => {
      if (l.newType) w.u8(0x60).u8(1).u8(I32).u8(1).u8(I32);
    }),
  );
  out.set(
    SECTION.function,
    extend(bytes, find(SECTION.function), 1, (w) => w.u32(l.growType)),
  );
  out.set(SECTION.memory, new Writer().u8(1).u8(0x01).u32(memory.initial).u32(memory.maximum).finish());
  out.set(
    SECTION.global,
    extend(bytes, find(SECTION.global), 2, (w) => {
      w.u8(I64).u8(0x01).u8(0x42).s64(fuel).u8(0x0b); // (mut i64) (i64.const fuel)
      w.u8(I32).u8(0x01).u8(0x41).u8(0x00).u8(0x0b); // (mut i32) (i32.const 0)
    }),
  );
  out.set(
    SECTION.export,
    extend(bytes, find(SECTION.export), 2, (w) => {
      w.name(FUEL_EXPORT).u8(0x03).u32(l.fuel).name(OOM_EXPORT).u8(0x03).u32(l.oom);
    }),
  );
  const code = new Writer(bytes.length + 64);
  code.u32(m.bodies.length + 1);
  for (const plan of m.bodies) rewriteBody(bytes, plan, l, code);
  code.bytes(growBody(l.oom));
  out.set(SECTION.code, code.finish());
  return out;
}

/** Rebuilds the module: replaced sections in place, missing ones inserted where the order wants them. */
function assemble(m: ParsedModule, replaced: Map<number, Uint8Array>): Uint8Array<ArrayBuffer> {
  const w = new Writer(m.bytes.length + 1024);
  w.bytes(m.bytes.subarray(0, 8));
  const present = new Set(m.sections.map((s) => s.id));
  const pending = [...replaced.keys()].filter((id) => !present.has(id)).sort((a, b) => ORDER[a]! - ORDER[b]!);
  const emit = (id: number): void => {
    const payload = replaced.get(id)!;
    w.u8(id).u32(payload.length).bytes(payload);
  };
  for (const s of m.sections) {
    if (s.id !== SECTION.custom) {
      while (pending.length > 0 && ORDER[pending[0]!]! < ORDER[s.id]!) emit(pending.shift()!);
    }
    if (replaced.has(s.id)) emit(s.id);
    else w.bytes(m.bytes.subarray(s.headerStart, s.end));
  }
  for (const id of pending) emit(id);
  return w.finish();
}

/**
 * Validates a module (see `validateModule`) and instruments it for the runtime:
 * - caps the memory maximum to `opts.maxMemoryPages`;
 * - appends a mutable i64 fuel global (initially `opts.fuel`, exported as `FUEL_EXPORT`) and a
 *   mutable i32 OOM flag (exported as `OOM_EXPORT`);
 * - charges fuel at every function entry and loop header, and the length operand of every bulk
 *   memory or table instruction before it runs, trapping (`unreachable`) once the fuel goes
 *   negative; the negative value is left in the global so the host can tell why. Within a
 *   function the counter is a local (cheap in loops), met with the global at every call, return
 *   and trap, so the global is exact wherever anyone else can read or charge it;
 * - routes every `memory.grow` through an appended function that sets the OOM flag on failure.
 * Existing function, global and type indices are unchanged; other sections pass through as is.
 */
export function prepareModule(bytes: Uint8Array, opts: PrepareOptions): PreparedModule {
  if (typeof opts.fuel !== "bigint" || opts.fuel < 0n || opts.fuel > MAX_I64) {
    throw new RangeError(`fuel must be a bigint in [0, 2^63 - 1], got ${String(opts.fuel)}`);
  }
  return instrumentParsed(validateParsed(bytes, opts), opts);
}

/**
 * The instrumentation step of `prepareModule`, for a parsed module that has exactly one memory,
 * defined by the module (which `validateParsed` guarantees).
 */
export function instrumentParsed(m: ParsedModule, opts: PrepareOptions): PreparedModule {
  const { initial, maximum } = m.memories[0]!;
  const memory = { initial, maximum: Math.min(maximum ?? opts.maxMemoryPages, opts.maxMemoryPages) };
  const globals = m.importedGlobals + m.globals;
  // The ABI's `alloc` has this type, but reuse is not a requirement: add the type if it is missing.
  const existing = m.types.findIndex((t) => matches(t, GROW_TYPE));
  const layout: Layout = {
    fuel: globals,
    oom: globals + 1,
    grow: m.importedFuncs + m.functions.length,
    growType: existing >= 0 ? existing : m.types.length,
    newType: existing < 0,
  };
  const out = assemble(m, payloads(m, layout, opts.fuel, memory));
  return { bytes: out, info: infoOf(m), memory };
}
