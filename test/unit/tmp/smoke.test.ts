import { it, expect } from "vitest";
import { agentWat, wat } from "../helpers/wat.js";
import { prepareModule } from "../../../worker/wasm/index.js";
it("smoke", async () => {
  const bytes = await wat(agentWat(`(func $loop (export "spin") (loop $l (br $l))) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))`));
  const p = prepareModule(bytes, { maxMemoryPages: 4, fuel: 1000n });
  expect(WebAssembly.validate(p.bytes)).toBe(true);
  const inst = new WebAssembly.Instance(new WebAssembly.Module(p.bytes as BufferSource), {});
  const ex = inst.exports as Record<string, any>;
  expect(() => ex.spin()).toThrow();
  console.log(ex.__agtest_fuel.value);
  ex.__agtest_fuel.value = 1000n;
  expect(ex.grow(2)).toBe(1);
  expect(ex.grow(2)).toBe(-1);
  expect(ex.__agtest_oom.value).toBe(1);
});
