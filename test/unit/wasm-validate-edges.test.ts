import { describe, expect, it } from "vitest";
import { WasmValidationError, inspectModule, validateModule } from "../../worker/wasm/index.js";
import { module, section } from "../helpers/bytes.js";

/**
 * The corners of the deploy validator the fixtures and the fuzzers rarely reach (this file keeps
 * its line coverage at 100%, see vitest.config.ts): tag imports, the data count check, extended
 * and SIMD constant expressions.
 */

const name = (t: string) => [t.length, ...new TextEncoder().encode(t)];
const OPTS = { maxMemoryPages: 64 };

function refusal(bytes: Uint8Array, check: (b: Uint8Array) => unknown = inspectModule): string {
  try {
    check(bytes);
  } catch (error) {
    if (error instanceof WasmValidationError) return error.message;
    throw error;
  }
  throw new Error("accepted");
}

describe("validator corners", () => {
  const tagImport = module(
    section(1, [1, 0x60, 0, 0]),
    section(2, [1, ...name("env"), ...name("tag"), 0x04, 0x00, 0x00]),
  );

  it("a tag import (exception handling) parses, as V8 agrees, and the ABI refuses it", () => {
    expect(WebAssembly.validate(tagImport)).toBe(true);
    expect(inspectModule(tagImport).imports).toEqual([{ module: "env", name: "tag", kind: "tag" }]);
    expect(refusal(tagImport, (b) => validateModule(b, OPTS))).toMatch(/forbidden import `env\.tag`/);
  });

  it("a data count section that disagrees with the data section is refused", () => {
    const bytes = module(section(5, [1, 0, 1]), section(12, [2]), section(11, [1, 0, 0x41, 0, 0x0b, 1, 0xaa]));
    expect(WebAssembly.validate(bytes)).toBe(false);
    expect(refusal(bytes)).toBe("data count section says 2 segments but the data section has 1");
  });

  it.each<[string, number[]]>([
    ["i64.const", [0x7e, 0, 0x42, 0x80, 0x01, 0x0b]],
    ["f32.const", [0x7d, 0, 0x43, 0, 0, 0x80, 0x3f, 0x0b]],
    ["f64.const", [0x7c, 0, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x0b]],
    ["ref.null func", [0x70, 0, 0xd0, 0x70, 0x0b]],
  ])("a global initialised with %s parses, as V8 agrees", (_, global) => {
    const bytes = module(section(6, [1, ...global]));
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(() => inspectModule(bytes)).not.toThrow();
  });

  it("ref.func in a constant expression names a function that exists", () => {
    const withFunction = (index: number) =>
      module(
        section(1, [1, 0x60, 0, 0]),
        section(3, [1, 0]),
        section(6, [1, 0x70, 0, 0xd2, index, 0x0b]),
        section(7, [1, ...name("f"), 0x00, 0]),
        section(10, [1, 2, 0, 0x0b]),
      );
    expect(WebAssembly.validate(withFunction(0))).toBe(true);
    expect(() => inspectModule(withFunction(0))).not.toThrow();
    expect(refusal(withFunction(3))).toMatch(/function index 3 out of range/);
  });

  it("global.get of an imported global in a constant expression parses; of a global beyond the index space it is refused", () => {
    const imported = section(2, [1, ...name("env"), ...name("g"), 0x03, 0x7f, 0x00]);
    const ok = module(imported, section(6, [1, 0x7f, 0, 0x23, 0, 0x0b]));
    expect(WebAssembly.validate(ok)).toBe(true);
    expect(() => inspectModule(ok)).not.toThrow();
    expect(refusal(module(section(6, [1, 0x7f, 0, 0x23, 5, 0x0b])))).toMatch(/global index 5 out of range/);
  });

  it("constant expressions: extended-const arithmetic and v128.const are accepted; other SIMD and plain instructions are not", () => {
    expect(() => inspectModule(module(section(6, [1, 0x7f, 0, 0x41, 1, 0x41, 2, 0x6a, 0x0b])))).not.toThrow();
    const v128 = module(section(6, [1, 0x7b, 0, 0xfd, 12, ...Array<number>(16).fill(0), 0x0b]));
    expect(WebAssembly.validate(v128)).toBe(true);
    expect(() => inspectModule(v128)).not.toThrow();
    expect(refusal(module(section(6, [1, 0x7b, 0, 0xfd, 13, ...Array<number>(16).fill(0), 0x0b])))).toMatch(
      /0xfd \(not constant\)/,
    );
    expect(refusal(module(section(6, [1, 0x7f, 0, 0x01, 0x0b])))).toMatch(
      /instruction 0x01 is not allowed in a constant expression/,
    );
  });
});
