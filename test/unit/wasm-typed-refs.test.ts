import { describe, expect, it } from "vitest";
import { validateModule } from "../../worker/wasm/index.js";

/** magic, version, then a type section of one function type whose only parameter has value type `t`. */
const withParam = (t: number) =>
  new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x01, t, 0x00]);

describe("value types", () => {
  it.each([0x63, 0x64])("typed references (%i) are refused by name", (t) => {
    expect(() => validateModule(withParam(t), { maxMemoryPages: 256 })).toThrow(
      /unsupported value type 0x6[34] \(typed references\) at offset 13/,
    );
  });

  it("an unknown value type is refused with its offset", () => {
    expect(() => validateModule(withParam(0x42), { maxMemoryPages: 256 })).toThrow(/bad value type 0x42 at offset 13/);
  });
});
