import { WasmValidationError } from "./errors.js";

// `fatal` rejects malformed UTF-8 (and encoded surrogates), as the spec's `name` requires;
// `ignoreBOM` keeps a leading U+FEFF instead of silently dropping it from the name.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * A cursor over `bytes[pos, end)`. Every read checks the bound and throws
 * `truncated <label> at offset N`, so a reader per section or function body yields precise errors.
 * Offsets are always absolute positions in the module.
 */
export class Reader {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    pos: number,
    readonly end: number,
    readonly label: string,
  ) {
    this.pos = pos;
  }

  /** True when every byte up to `end` has been consumed. */
  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Throws a truncation error unless `n` more bytes are available. */
  need(n: number): void {
    if (n > this.end - this.pos) {
      throw new WasmValidationError(`truncated ${this.label} at offset ${this.pos}`, this.pos);
    }
  }

  /** One byte. */
  u8(): number {
    if (this.pos >= this.end) this.need(1);
    return this.bytes[this.pos++] as number;
  }

  /** Skips `n` bytes (after checking they exist). */
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  /** A view (no copy) of the next `n` bytes. */
  take(n: number): Uint8Array {
    this.need(n);
    const view = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return view;
  }

  /** Unsigned 32-bit LEB128, strictly: at most 5 bytes and no unused bits set. */
  u32(): number {
    const b = this.bytes[this.pos] as number;
    if (b < 0x80 && this.pos < this.end) {
      this.pos++;
      return b; // one-byte fast path: most indices and counts
    }
    return this.leb(32, false);
  }

  /** Signed 32-bit LEB128. */
  s32(): number {
    const b = this.bytes[this.pos] as number;
    if (b < 0x80 && this.pos < this.end) {
      this.pos++;
      return b < 0x40 ? b : b - 0x80;
    }
    return this.leb(32, true);
  }

  /** Signed 33-bit LEB128 (block types); the value fits a double exactly. */
  s33(): number {
    return this.leb(33, true);
  }

  /** Signed 64-bit LEB128, validated and skipped (only `i64.const` uses it; its value is not needed). */
  skipS64(): void {
    this.leb(64, true);
  }

  /** A length-prefixed UTF-8 name. */
  name(): string {
    const len = this.u32();
    const start = this.pos;
    const raw = this.take(len);
    try {
      return utf8.decode(raw);
    } catch {
      throw new WasmValidationError(`bad UTF-8 in name at offset ${start}`, start);
    }
  }

  /** A reader over the next `len` bytes, advancing this one past them. */
  sub(len: number, label: string): Reader {
    this.need(len);
    const r = new Reader(this.bytes, this.pos, this.pos + len, label);
    this.pos += len;
    return r;
  }

  /** Throws unless the reader is exactly at its end (`trailing bytes ...`). */
  expectEnd(): void {
    if (this.pos !== this.end) {
      throw new WasmValidationError(`unexpected trailing bytes in ${this.label} at offset ${this.pos}`, this.pos);
    }
  }

  /**
   * LEB128 of `bits` bits per the spec: at most ceil(bits / 7) bytes, and in the last byte the
   * bits beyond the value's width must be zero (unsigned) or copies of the sign bit (signed).
   * The result is exact for widths up to 53 bits; 64-bit values are only validated.
   */
  private leb(bits: number, signed: boolean): number {
    const start = this.pos;
    const maxBytes = Math.ceil(bits / 7);
    let result = 0;
    let scale = 1;
    for (let i = 0; i < maxBytes; i++) {
      const b = this.u8();
      const last = i === maxBytes - 1;
      if (last) {
        const used = bits - 7 * i; // value bits carried by this byte
        if (b & 0x80) throw badLeb(start, "too long");
        const high = 0x7f & ~((1 << (signed ? used - 1 : used)) - 1);
        const extra = b & high;
        if (signed ? extra !== 0 && extra !== high : extra !== 0) throw badLeb(start, "unused bits set");
      }
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) {
        if (signed && b & 0x40) result -= scale;
        return result;
      }
    }
    // Unreachable: the last byte always returns or throws above (istanbul needs the @preserve).
    /* istanbul ignore next -- @preserve */
    throw badLeb(start, "too long");
  }
}

function badLeb(offset: number, why: string): WasmValidationError {
  return new WasmValidationError(`bad LEB128 at offset ${offset} (${why})`, offset);
}
