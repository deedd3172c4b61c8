const encoder = new TextEncoder();

/** A growable byte buffer with the binary format's encodings. */
export class Writer {
  private buf: Uint8Array<ArrayBuffer>;
  private len = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.len;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** One byte. */
  u8(b: number): this {
    this.reserve(1);
    this.buf[this.len++] = b;
    return this;
  }

  /** Raw bytes. */
  bytes(b: Uint8Array): this {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /** Unsigned LEB128 of a 32-bit value. */
  u32(n: number): this {
    do {
      let b = n % 128;
      n = Math.floor(n / 128);
      if (n !== 0) b |= 0x80;
      this.u8(b);
    } while (n !== 0);
    return this;
  }

  /** Signed LEB128 of a 64-bit value. */
  s64(v: bigint): this {
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.u8(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  /** Signed LEB128 of a non-negative safe integer (fuel costs), without BigInt arithmetic. */
  sPositive(n: number): this {
    for (;;) {
      const b = n % 128;
      n = Math.floor(n / 128);
      if (n === 0 && b < 0x40) return this.u8(b);
      this.u8(b | 0x80);
    }
  }

  /** A length-prefixed UTF-8 name. */
  name(s: string): this {
    const b = encoder.encode(s);
    return this.u32(b.length).bytes(b);
  }

  /** The bytes written so far, without copying (valid until the next write). */
  view(): Uint8Array<ArrayBuffer> {
    return this.buf.subarray(0, this.len);
  }

  /** A copy of the bytes written. */
  finish(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.len);
  }
}
