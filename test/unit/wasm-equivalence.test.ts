import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { corpus } from "./helpers/corpus.js";
import { fn, instantiate, instantiatePrepared, outcome, recordingAgent } from "./helpers/run.js";
import { AGENT_IMPORTS, wat } from "./helpers/wat.js";

/** The original and the instrumented module, instantiated side by side. */
function pair(bytes: Uint8Array<ArrayBuffer>): { run: (name: string, ...args: (number | bigint)[]) => void } {
  const original = instantiate(bytes);
  const instrumented = instantiatePrepared(bytes).exports;
  return {
    run(name, ...args) {
      const a = outcome(() => fn(original, name)(...args));
      const b = outcome(() => fn(instrumented, name)(...args));
      expect(b).toEqual(a);
    },
  };
}

describe("instrumented modules compute the same results", { timeout: 30_000 }, () => {
  let modules: Record<string, Uint8Array<ArrayBuffer>>;
  beforeAll(async () => {
    modules = await corpus();
  });

  it("loops, recursion, br_table and multi-value blocks", () => {
    const { run } = pair(modules["loops"]!);
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.bigInt({ min: -3n, max: 25n }),
        u32,
        u32,
        (n, m, c, f, a, b) => {
          run("sum", n);
          run("nested", m);
          run("collatz", c);
          run("fac", f);
          run("divmod", a, b); // traps on b = 0 in both
          run("multi", a, b);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it("tables, tail calls, bulk memory, SIMD, saturating conversions and reference types", () => {
    const { run } = pair(modules["features"]!);
    fc.assert(
      fc.property(
        fc.integer({ min: -1, max: 5 }),
        fc.integer(),
        fc.integer(),
        fc.integer({ min: 0, max: 70_000 }),
        fc.double(),
        (op, a, b, dst, x) => {
          run("dispatch", op, a, b); // traps for an empty or missing table slot in both
          run("tail", a, b);
          run("bulk", dst); // traps out of bounds in both
          run("simd", a);
          run("conv", x);
          run("refs");
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});

// An agent that parses nothing but does real work per message: it copies the message backwards
// into freshly allocated memory (growing it on demand), sends the copy, and fails every message
// whose byte sum is divisible by 3.
const REVERSER = `(module
  ${AGENT_IMPORTS}
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))
  (func $alloc (export "alloc") (param $size i32) (result i32)
    (local $p i32) (local $need i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (local.set $need (i32.sub (i32.shr_u (i32.add (global.get $heap) (i32.const 65535)) (i32.const 16)) (memory.size)))
    (if (i32.gt_s (local.get $need) (i32.const 0))
      (then (if (i32.eq (memory.grow (local.get $need)) (i32.const -1)) (then (unreachable)))))
    (local.get $p))
  (func (export "handle") (param $ptr i32) (param $len i32) (result i32)
    (local $out i32) (local $i i32) (local $sum i32)
    (local.set $out (call $alloc (local.get $len)))
    (block $done
      (loop $copy
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (i32.store8
          (i32.sub (i32.add (local.get $out) (local.get $len)) (i32.add (local.get $i) (i32.const 1)))
          (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
        (local.set $sum (i32.add (local.get $sum) (i32.load8_u (i32.add (local.get $ptr) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
    (drop (call $send (local.get $out) (local.get $len)))
    (i32.eqz (i32.rem_u (local.get $sum) (i32.const 3)))))`;

describe("agent-shaped module", { timeout: 30_000 }, () => {
  it("sends the same messages and returns the same codes", async () => {
    const bytes = await wat(REVERSER);
    const original = recordingAgent(bytes);
    const instrumented = recordingAgent(bytes, { maxMemoryPages: 64 });
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 3000 }), (message) => {
        const expected = original.feed(message);
        const utf8 = new TextEncoder().encode(message);
        expect(expected.sends).toEqual([new TextDecoder().decode(utf8.reverse())]);
        expect(instrumented.feed(message)).toEqual(expected);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
