import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WasmValidationError } from "../../worker/wasm/index.js";
import { Reader } from "../../worker/wasm/reader.js";
import { Writer } from "../../worker/wasm/writer.js";

const reader = (bytes: number[]): Reader => new Reader(new Uint8Array(bytes), 0, bytes.length, "test");

/** Reference signed LEB128 decoder (BigInt, no width limit). */
function decodeSigned(bytes: Uint8Array): bigint {
  let result = 0n;
  let shift = 0n;
  for (const b of bytes) {
    result |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    if ((b & 0x80) === 0) {
      if (b & 0x40) result -= 1n << shift;
      break;
    }
  }
  return result;
}

describe("Reader", () => {
  it("reads unsigned 32-bit LEB128, including the widest forms", () => {
    expect(reader([0x00]).u32()).toBe(0);
    expect(reader([0xe5, 0x8e, 0x26]).u32()).toBe(624485);
    expect(reader([0x80, 0x80, 0x80, 0x80, 0x00]).u32()).toBe(0); // padded but legal
    expect(reader([0xff, 0xff, 0xff, 0xff, 0x0f]).u32()).toBe(0xffffffff);
  });

  it("rejects over-long LEB128 and unused bits", () => {
    expect(() => reader([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]).u32()).toThrow("bad LEB128 at offset 0 (too long)");
    expect(() => reader([0xff, 0xff, 0xff, 0xff, 0x1f]).u32()).toThrow("bad LEB128 at offset 0 (unused bits set)");
    expect(() => reader([0xff, 0xff, 0xff, 0xff, 0x4f]).s32()).toThrow("(unused bits set)");
    expect(() => reader([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).skipS64()).toThrow(
      "(unused bits set)",
    );
  });

  it("reads signed LEB128 with sign extension", () => {
    expect(reader([0x7f]).s32()).toBe(-1);
    expect(reader([0xc0, 0xbb, 0x78]).s32()).toBe(-123456);
    expect(reader([0x80, 0x80, 0x80, 0x80, 0x78]).s32()).toBe(-2147483648);
    expect(reader([0xff, 0xff, 0xff, 0xff, 0x07]).s32()).toBe(2147483647);
    expect(reader([0x40]).s33()).toBe(-64);
    expect(reader([0xff, 0xff, 0xff, 0xff, 0x0f]).s33()).toBe(4294967295);
    expect(() => reader([0xff, 0xff, 0xff, 0xff, 0x1f]).s33()).toThrow("(unused bits set)");
    reader([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).skipS64(); // -1 in ten bytes
  });

  it("names truncation with its label and the offset", () => {
    const r = new Reader(new Uint8Array([0x80, 0x80]), 0, 2, "section 1 (type)");
    const e = (() => {
      try {
        r.u32();
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(WasmValidationError);
    expect((e as WasmValidationError).message).toBe("truncated section 1 (type) at offset 2");
    expect((e as WasmValidationError).offset).toBe(2);
  });

  it("decodes names as strict UTF-8 and keeps a byte-order mark", () => {
    expect(reader([3, 0xef, 0xbb, 0xbf]).name()).toBe("\ufeff");
    expect(reader([2, 0xc3, 0xa9]).name()).toBe("é");
    expect(() => reader([1, 0x80]).name()).toThrow("bad UTF-8 in name at offset 1");
    expect(() => reader([3, 0xed, 0xa0, 0x80]).name()).toThrow(WasmValidationError); // surrogate
  });

  it("never reads past its end even when the array goes on", () => {
    const r = new Reader(new Uint8Array([0x41, 0x42, 0x43]), 0, 1, "window");
    r.u8();
    expect(() => r.u8()).toThrow("truncated window at offset 1");
  });
});

describe("Writer", () => {
  it("round-trips u32 through the Reader", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        const bytes = new Writer().u32(n).finish();
        expect(new Reader(bytes, 0, bytes.length, "t").u32()).toBe(n);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });

  it("encodes s64 minimally and correctly", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (v) => {
        const bytes = new Writer().s64(v).finish();
        expect(decodeSigned(bytes)).toBe(v);
        new Reader(bytes, 0, bytes.length, "t").skipS64(); // valid per the spec's rules
        expect(bytes.length).toBeLessThanOrEqual(10);
      }),
      { seed: 42, numRuns: 1000 },
    );
    expect([...new Writer().s64(0n).finish()]).toEqual([0]);
    expect([...new Writer().s64(-1n).finish()]).toEqual([0x7f]);
    expect([...new Writer().s64(64n).finish()]).toEqual([0xc0, 0x00]);
  });

  it("grows past its initial capacity", () => {
    const w = new Writer(1);
    for (let i = 0; i < 1000; i++) w.u8(i & 0xff);
    expect(w.finish()).toHaveLength(1000);
  });
});

describe("Writer.sPositive", () => {
  it("matches the BigInt encoder for non-negative safe integers", () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect([...new Writer().sPositive(n).finish()]).toEqual([...new Writer().s64(BigInt(n)).finish()]);
      }),
      { seed: 42, numRuns: 1000 },
    );
    expect([...new Writer().sPositive(63).finish()]).toEqual([0x3f]);
    expect([...new Writer().sPositive(64).finish()]).toEqual([0xc0, 0x00]);
  });
});
