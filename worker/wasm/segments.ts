import { WasmValidationError } from "./errors.js";
import { type IndexSpace, checkIndex, readConstExpr, readRefType, zeroByte } from "./opcodes.js";
import type { Reader } from "./reader.js";

function vec(r: Reader, item: () => void): number {
  const n = r.u32();
  for (let i = 0; i < n; i++) item();
  return n;
}

function elemKind(r: Reader): void {
  const at = r.pos;
  if (r.u8() !== 0x00) throw new WasmValidationError(`bad element kind at offset ${at}`, at);
}

/**
 * Decodes the element section (all eight segment encodings); returns the element type of each
 * segment, and adds the functions it names to `ctx.refs`.
 */
export function readElementSection(r: Reader, ctx: IndexSpace): number[] {
  const types: number[] = [];
  vec(r, () => {
    const at = r.pos;
    const flags = r.u32();
    if (flags > 7) throw new WasmValidationError(`bad element segment flags ${flags} at offset ${at}`, at);
    const table = flags === 2 || flags === 6 ? r.u32() : 0;
    const active = (flags & 1) === 0;
    if (active) readConstExpr(r, ctx, 0x7f); // offset
    const exprs = (flags & 4) !== 0;
    let type = 0x70; // funcref, the only type of the abbreviated encodings
    if (flags & 3) {
      if (exprs) type = readRefType(r);
      else elemKind(r);
    }
    if (active && ctx.tables?.[table] !== type) {
      throw new WasmValidationError(
        `element segment ${types.length} does not fit table ${table} (missing, or of another reference type) at offset ${at}`,
        at,
      );
    }
    types.push(type);
    if (exprs) vec(r, () => readConstExpr(r, ctx, type));
    else vec(r, () => void ctx.refs?.add(checkIndex(r, "funcs", ctx)));
  });
  return types;
}

/** Decodes the data section; returns the segment count. */
export function readDataSection(r: Reader, ctx: IndexSpace): number {
  return vec(r, () => {
    const at = r.pos;
    const flags = r.u32();
    if (flags > 2) throw new WasmValidationError(`bad data segment flags ${flags} at offset ${at}`, at);
    if (flags === 2) zeroByte(r);
    if (flags !== 1) readConstExpr(r, ctx, 0x7f);
    r.skip(r.u32());
  });
}
