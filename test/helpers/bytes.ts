/** Unsigned LEB128. */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** A section: id, size, payload. */
export function section(id: number, payload: number[]): number[] {
  return [id, ...leb(payload.length), ...payload];
}

/** Magic and version 1. */
export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** A module from a header and raw sections. */
export function module(...sections: number[][]): Uint8Array<ArrayBuffer> {
  return new Uint8Array([...HEADER, ...sections.flat()]);
}

/**
 * A module whose one function `() -> ()` (with one i32 local) has the instruction bytes `code`,
 * and which has one of everything an immediate may name: type, function, table, memory,
 * global, element segment and data segment (index 0 is valid for each).
 */
export function moduleWithBody(code: number[]): Uint8Array<ArrayBuffer> {
  const body = [0x01, 0x01, 0x7f, ...code];
  return module(
    section(1, [1, 0x60, 0, 0]),
    section(3, [1, 0]),
    section(4, [1, 0x70, 0, 1]),
    section(5, [1, 0, 1]),
    section(6, [1, 0x7f, 1, 0x41, 0, 0x0b]),
    section(9, [1, 1, 0, 1, 0]),
    section(12, [1]),
    section(10, [1, ...leb(body.length), ...body]),
    section(11, [1, 1, 0]),
  );
}
