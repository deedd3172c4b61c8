import { WasmValidationError, hex } from "./errors.js";
import type { Reader } from "./reader.js";
import type { Limits } from "./types.js";

/** Largest memory a 32-bit WebAssembly memory can have, in 64 KiB pages. */
export const MAX_PAGES = 65536;

function readLimits(r: Reader, what: "memory" | "table"): Limits {
  const at = r.pos;
  const flags = r.u8();
  if (what === "memory" && (flags === 0x02 || flags === 0x03)) {
    throw new WasmValidationError(`shared memory is not allowed (offset ${at})`, at);
  }
  if (flags >= 0x04 && flags <= 0x07) {
    throw new WasmValidationError(`64-bit ${what} (memory64) is not supported (offset ${at})`, at);
  }
  if (flags > 0x01) throw new WasmValidationError(`bad ${what} limits flags ${hex(flags)} at offset ${at}`, at);
  const initial = r.u32();
  const maximum = flags === 0x01 ? r.u32() : null;
  if (maximum !== null && initial > maximum) {
    throw new WasmValidationError(`${what} initial size ${initial} exceeds its maximum ${maximum} (offset ${at})`, at);
  }
  return { initial, maximum };
}

/** Reads memory limits; rejects shared and 64-bit memories and sizes beyond 65536 pages. */
export function readMemoryType(r: Reader): Limits {
  const at = r.pos;
  const limits = readLimits(r, "memory");
  for (const [key, pages] of [
    ["initial size", limits.initial],
    ["maximum", limits.maximum],
  ] as const) {
    if (pages !== null && pages > MAX_PAGES) {
      throw new WasmValidationError(`memory ${key} ${pages} pages exceeds ${MAX_PAGES} pages (offset ${at})`, at);
    }
  }
  return limits;
}

/** Reads a table type: reference type and limits. */
export function readTableType(r: Reader, readRefType: (r: Reader) => number): Limits {
  readRefType(r);
  return readLimits(r, "table");
}
