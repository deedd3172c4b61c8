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

/** Decodes the element section (all eight segment encodings); returns the segment count. */
export function readElementSection(r: Reader, ctx: IndexSpace): number {
  return vec(r, () => {
    const at = r.pos;
    const flags = r.u32();
    if (flags > 7) throw new WasmValidationError(`bad element segment flags ${flags} at offset ${at}`, at);
    if (flags === 2 || flags === 6) r.u32(); // table index
    if ((flags & 1) === 0) readConstExpr(r, ctx); // active: offset
    const exprs = (flags & 4) !== 0;
    if (flags & 3) {
      if (exprs) readRefType(r);
      else elemKind(r);
    }
    if (exprs) vec(r, () => readConstExpr(r, ctx));
    else vec(r, () => void checkIndex(r, "funcs", ctx));
  });
}

/** Decodes the data section; returns the segment count. */
export function readDataSection(r: Reader, ctx: IndexSpace): number {
  return vec(r, () => {
    const at = r.pos;
    const flags = r.u32();
    if (flags > 2) throw new WasmValidationError(`bad data segment flags ${flags} at offset ${at}`, at);
    if (flags === 2) zeroByte(r);
    if (flags !== 1) readConstExpr(r, ctx);
    r.skip(r.u32());
  });
}
