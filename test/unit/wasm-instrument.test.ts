import { beforeAll, describe, expect, it } from "vitest";
import { WasmValidationError, inspectModule, prepareModule } from "../../worker/wasm/index.js";
import { section } from "../helpers/bytes.js";
import { instrumentParsed } from "../../worker/wasm/instrument.js";
import { parseModule } from "../../worker/wasm/parse.js";
import { PLENTY, fn, global, instantiatePrepared, memory } from "./helpers/run.js";
import { AGENT_IMPORTS, agentWat, stubImports, wat } from "./helpers/wat.js";
import { bulkAgent, handleInstructions } from "../helpers/bulk-agents.js";
import { BULK_FUEL_PER_BYTE } from "../../worker/wasm/costs.js";

/** Index of `needle` in `hay`, or -1. */
function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Calls `call` once and expects the trap that fuel exhaustion causes. */
function expectFuelTrap(call: () => unknown): void {
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(WebAssembly.RuntimeError);
  expect(String(error)).toMatch(/unreachable/);
}

describe("fuel", () => {
  let bytes: Uint8Array<ArrayBuffer>;
  beforeAll(async () => {
    bytes = await wat(
      agentWat(`
      (func (export "one") (result i32) (i32.const 1))
      (func (export "count") (param $n i32)
        (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
      (func $fac (export "fac") (param $n i64) (result i64)
        (if (result i64) (i64.eqz (local.get $n))
          (then (i64.const 1))
          (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))
      (func $down (export "down") (param $n i32) (result i32) (call $down (local.get $n)))
      (func (export "spin") (loop $l (br $l)))`),
    );
  });

  it("exports the fuel global initialised to opts.fuel", () => {
    const { fuel, oom } = instantiatePrepared(bytes, { fuel: 12345n });
    expect(fuel.value).toBe(12345n);
    expect(oom.value).toBe(0);
    fuel.value = 7n;
    expect(fuel.value).toBe(7n);
  });

  it("charges a function its instruction count at entry", () => {
    const { fuel, fn } = instantiatePrepared(bytes, { fuel: 1000n });
    expect(fn("one")()).toBe(1);
    expect(fuel.value).toBe(1000n - 2n); // i32.const, end
  });

  it("charges a loop body on every iteration", () => {
    const { fuel, fn } = instantiatePrepared(bytes, { fuel: 1000n });
    fn("count")(10);
    // function: loop + end = 2; loop body: local.get i32.const i32.sub local.tee br_if end = 6
    expect(fuel.value).toBe(1000n - 2n - 6n * 10n);
  });

  it("charges a recursive function at each entry", () => {
    const { fuel, fn } = instantiatePrepared(bytes, { fuel: 10_000n });
    expect(fn("fac")(5n)).toBe(120n);
    expect(fuel.value).toBe(10_000n - 13n * 6n); // 13 instructions, 6 calls
  });

  it("stops unbounded recursion by fuel before the stack overflows", () => {
    const { fuel, fn } = instantiatePrepared(bytes, { fuel: 1000n });
    expectFuelTrap(() => fn("down")(1));
    expect(fuel.value).toBeLessThan(0n);
  });

  it("traps an infinite loop once the fuel is exhausted, leaving it negative", () => {
    const { fuel, fn } = instantiatePrepared(bytes);
    fuel.value = 100n;
    expectFuelTrap(() => fn("spin")());
    expect(fuel.value).toBeLessThan(0n);
    expect(fuel.value).toBeGreaterThanOrEqual(-2n); // the loop body costs 2 (br, end)
    // The instance stays usable once the host refuels it.
    fuel.value = 100n;
    expect(fn("one")()).toBe(1);
  });

  it("bounds a start function with the initial fuel", async () => {
    const spinStart = await wat(agentWat(`(func $s (loop $l (br $l))) (start $s)`));
    expect(() => instantiatePrepared(spinStart, { fuel: 1000n })).toThrow(/unreachable/);
    const quickStart = await wat(agentWat(`(func $s) (start $s)`));
    expect(instantiatePrepared(quickStart, { fuel: 1000n }).fuel.value).toBe(999n);
  });

  it("is deterministic", () => {
    const a = prepareModule(bytes, { maxMemoryPages: 16, fuel: 5n });
    const b = prepareModule(bytes, { maxMemoryPages: 16, fuel: 5n });
    expect(a.bytes).toEqual(b.bytes);
  });
});

describe("memory", () => {
  const growAgent = (memoryDecl: string): Promise<Uint8Array<ArrayBuffer>> =>
    wat(
      agentWat(`(func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))`)
        .replace(`(memory (export "memory") 1)`, memoryDecl)
        .replace(
          `(func (export "handle") (param i32 i32) (result i32) (i32.const 0))`,
          `(func (export "handle") (param i32 i32) (result i32) (memory.grow (i32.const 1000)))`,
        ),
    );

  it("caps a missing maximum to the limit", async () => {
    const bytes = await growAgent(`(memory (export "memory") 1)`);
    expect(prepareModule(bytes, { maxMemoryPages: 4, fuel: PLENTY }).memory).toEqual({ initial: 1, maximum: 4 });
    const { fn, oom, exports } = instantiatePrepared(bytes, { maxMemoryPages: 4 });
    expect(fn("grow")(2)).toBe(1);
    expect(oom.value).toBe(0);
    expect(fn("grow")(2)).toBe(-1);
    expect(oom.value).toBe(1);
    expect(memory(exports).buffer.byteLength).toBe(3 * 65536);
    expect(fn("grow")(1)).toBe(3); // growth within the cap still works
  });

  it("lowers a larger maximum and keeps a smaller one", async () => {
    const large = await growAgent(`(memory (export "memory") 1 100)`);
    expect(prepareModule(large, { maxMemoryPages: 4, fuel: PLENTY }).memory).toEqual({ initial: 1, maximum: 4 });
    expect(instantiatePrepared(large, { maxMemoryPages: 4 }).fn("grow")(4)).toBe(-1);
    const small = await growAgent(`(memory (export "memory") 1 2)`);
    expect(prepareModule(small, { maxMemoryPages: 4, fuel: PLENTY }).memory).toEqual({ initial: 1, maximum: 2 });
    const { fn, oom } = instantiatePrepared(small, { maxMemoryPages: 4 });
    expect(fn("grow")(1)).toBe(1);
    expect(fn("grow")(1)).toBe(-1);
    expect(oom.value).toBe(1);
  });

  it("flags a handle that grows memory past the cap", async () => {
    const { fn, oom } = instantiatePrepared(await growAgent(`(memory (export "memory") 1)`), { maxMemoryPages: 16 });
    expect(fn("handle")(0, 0)).toBe(-1);
    expect(oom.value).toBe(1);
  });
});

describe("module layout", () => {
  it("passes custom and name sections through byte for byte", async () => {
    const named = await wat(agentWat(`(func $spin_named (export "spin") (loop $l (br $l)))`));
    const note = new Uint8Array(section(0, [4, ...new TextEncoder().encode("note"), 1, 2, 3]));
    const input = new Uint8Array([...named, ...note]);
    const out = prepareModule(input, { maxMemoryPages: 4, fuel: PLENTY }).bytes;
    expect(indexOf(out, note)).toBe(out.length - note.length);
    const nameSection = named.subarray(indexOf(named, new Uint8Array([0x04, ...new TextEncoder().encode("name")])) - 2);
    expect(indexOf(out, nameSection)).toBeGreaterThan(0);
  });

  it("creates a global section when the module has none", async () => {
    const bytes = await wat(`(module (memory (export "memory") 1)
      (func (export "alloc") (param i32) (result i32) (local.get 0))
      (func (export "handle") (param i32 i32) (result i32) (loop $l (br $l)) (i32.const 0)))`);
    const { fuel, fn } = instantiatePrepared(bytes, { fuel: 50n });
    expect(fuel.value).toBe(50n);
    expectFuelTrap(() => fn("handle")(0, 0));
  });

  it("appends exactly one function and stays parseable, but cannot be prepared twice", async () => {
    const bytes = await wat(agentWat());
    const out = prepareModule(bytes, { maxMemoryPages: 4, fuel: PLENTY }).bytes;
    expect(inspectModule(out).functions).toBe(inspectModule(bytes).functions + 1);
    expect(inspectModule(out).exports.map((e) => e.name)).toEqual([
      "memory",
      "alloc",
      "handle",
      "__agtest_fuel",
      "__agtest_oom",
    ]);
    expect(() => prepareModule(out, { maxMemoryPages: 4, fuel: PLENTY })).toThrow(WasmValidationError);
  });

  it("refuses code that names the globals instrumentation would append", async () => {
    // Valid wasm can't do this; a module crafted to become valid after instrumentation must fail.
    const bytes = await wat(agentWat(`(func (export "refuel") (global.set 0 (i32.const 0)))`));
    const heapSet = new Uint8Array([0x41, 0x00, 0x24, 0x00]);
    const at = indexOf(bytes, heapSet);
    expect(at).toBeGreaterThan(0);
    const tampered = bytes.slice();
    tampered[at + 3] = 0x01; // global.set 1 = the fuel global after instrumentation
    expect(WebAssembly.validate(tampered)).toBe(false);
    expect(() => prepareModule(tampered, { maxMemoryPages: 4, fuel: PLENTY })).toThrow(/^global index 1 out of range/);
  });
});

describe("instrumentParsed (without the ABI checks)", () => {
  it("adds an (i32) -> i32 type for the grow helper when the module has none", async () => {
    const bytes = await wat(`(module (memory (export "memory") 1)
      (func (export "g") (result i32) (memory.grow (i32.const 2))))`);
    const prepared = instrumentParsed(parseModule(bytes), { maxMemoryPages: 2, fuel: 100n });
    expect(WebAssembly.validate(prepared.bytes)).toBe(true);
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(prepared.bytes));
    expect(fn(exports, "g")()).toBe(-1);
    expect(global(exports, "__agtest_oom").value).toBe(1);
    expect(global(exports, "__agtest_fuel").value).toBe(100n - 3n); // i32.const, memory.grow, end
  });
});

describe("fuel that means CPU: bulk operations pay their length", () => {
  const MiB16 = 16 * 1024 * 1024;
  const stubs = { agent: { random: () => undefined } };

  it.each([
    ["memory.fill", "fill", MiB16],
    ["memory.copy", "copy", MiB16 - 1],
  ] as const)("%s of n bytes costs n × BULK_FUEL_PER_BYTE plus its instructions", (_, kind, bytes) => {
    const { fuel, fn } = instantiatePrepared(bulkAgent(kind, bytes, false), { fuel: 10n ** 9n }, stubs);
    expect(fn("handle")(0, 0)).toBe(0);
    expect(10n ** 9n - (fuel.value as bigint)).toBe(BigInt(bytes * BULK_FUEL_PER_BYTE + handleInstructions(kind)));
  });

  it.each(["fill", "copy"] as const)("a loop of 16 MiB memory.%s ends with the budget, not after hours", (kind) => {
    const budget = 500_000_000n; // the default
    const { fuel, fn } = instantiatePrepared(bulkAgent(kind, MiB16 - 1, true), { fuel: budget }, stubs);
    expectFuelTrap(() => fn("handle")(0, 0));
    // It stopped before the operation that would overdraw the budget: about budget / 16 MiB rounds.
    expect(fuel.value).toBeLessThan(0n);
    expect(fuel.value).toBeGreaterThan(-BigInt(MiB16 * BULK_FUEL_PER_BYTE));
  });

  it("memory.init, table.fill, table.copy, table.init and table.grow pay their length too", async () => {
    const bytes = await wat(
      agentWat(`
      (table $t 4 100 funcref)
      (elem $e func $f $f $f)
      (data $d "0123456789")
      (func $f)
      (func (export "minit") (param $n i32) (memory.init $d (i32.const 0) (i32.const 0) (local.get $n)))
      (func (export "tfill") (param $n i32) (table.fill $t (i32.const 0) (ref.null func) (local.get $n)))
      (func (export "tcopy") (param $n i32) (table.copy $t $t (i32.const 0) (i32.const 1) (local.get $n)))
      (func (export "tinit") (param $n i32) (table.init $t $e (i32.const 0) (i32.const 0) (local.get $n)))
      (func (export "tgrow") (param $n i32) (drop (table.grow $t (ref.null func) (local.get $n))))`),
    );
    const { fuel, fn } = instantiatePrepared(bytes, { fuel: 1000n });
    const cost = (name: string, n: number): bigint => {
      const before = fuel.value as bigint;
      fn(name)(n);
      return before - (fuel.value as bigint);
    };
    const per = BigInt(BULK_FUEL_PER_BYTE);
    for (const name of ["minit", "tfill", "tcopy", "tinit"]) expect(cost(name, 3) - cost(name, 0), name).toBe(3n * per);
    expect(cost("tgrow", 7) - cost("tgrow", 0)).toBe(7n * per);
    // The charge comes first: a length the fuel cannot pay traps before any byte is touched.
    fuel.value = 100n;
    expectFuelTrap(() => fn("minit")(1_000_000));
  });
});

describe("fuel kept in a local: the global is exact wherever the host or a callee can see it", () => {
  /** The module with 10,000 fuel and an `agent.now` that reports the fuel it sees, then charges 100. */
  const withChargingNow = (bytes: Uint8Array, see: (left: bigint) => void) => {
    let instance: ReturnType<typeof instantiatePrepared> | undefined;
    const stubs = stubImports(() => memory(instance!.exports)).imports;
    instance = instantiatePrepared(
      bytes,
      { fuel: 10_000n },
      {
        ...stubs,
        agent: {
          ...stubs.agent,
          now: () => {
            const left = instance!.fuel.value as bigint;
            see(left);
            instance!.fuel.value = left - 100n;
            return 0n;
          },
        },
      },
    );
    return instance;
  };

  it("a callee and the host see the caller's fuel; what they spend is not refunded", async () => {
    let seen = -1n;
    const bytes = await wat(
      agentWat(
        `
      (func $leaf (result i32) (i32.const 1))
      (func (export "calls") (param $n i32) (result i32)
        (loop $l
          (drop (call $leaf))
          (call $now) (drop)
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (i32.const 7))
      (func (export "early") (param $n i32) (result i32)
        (if (local.get $n) (then (br 1 (i32.const 9))))
        (i32.const 3))`,
        AGENT_IMPORTS,
      ),
    );
    // What the host sees is what the module has left; a host charge is kept.
    const { fuel, fn } = withChargingNow(bytes, (left) => {
      seen = left;
    });
    expect(fn("calls")(3)).toBe(7);
    // entry: loop, i32.const, end = 3; loop body: call drop call drop local.get i32.const i32.sub local.tee br_if end = 10;
    // leaf: i32.const end = 2, three times; host: 100, three times.
    expect(fuel.value).toBe(10_000n - 3n - 3n * (10n + 2n + 100n));
    expect(seen).toBe((fuel.value as bigint) + 100n);
    // A branch out of the function stores the counter like a return does.
    fuel.value = 500n;
    expect(fn("early")(1)).toBe(9);
    const early = 500n - (fuel.value as bigint);
    fuel.value = 500n;
    expect(fn("early")(0)).toBe(3);
    expect(500n - (fuel.value as bigint)).toBe(early);
    expect(early).toBe(7n); // local.get, if, i32.const, br, end, i32.const, end
  });
  it("a flush is left out only where every path since the last reload charged nothing", async () => {
    const seen: bigint[] = [];
    // Each function calls the host (which records the fuel it sees and charges 100), then runs
    // code that charges on some paths only (a loop: 1 for its `end`), then calls the host again.
    const bytes = await wat(
      agentWat(
        `
      (func (export "merge") (param $n i32) (result i32)
        (drop (call $now))
        (if (local.get $n) (then (loop $l)))
        (drop (call $now))
        (i32.const 0))
      (func (export "exit") (param $n i32) (result i32)
        (block $b
          (drop (call $now))
          (br_if $b (local.get $n))
          (loop $l))
        (drop (call $now))
        (i32.const 0))
      (func (export "arms") (param $n i32) (result i32)
        (drop (call $now))
        (if (local.get $n) (then (drop (call $now))) (else (loop $l)))
        (drop (call $now))
        (i32.const 0))
      (func (export "exit2") (param $n i32) (result i32)
        (block $b
          (drop (call $now))
          (loop $l)
          (br_if $b (local.get $n))
          (drop (call $now)))
        (drop (call $now))
        (i32.const 0))
      (func (export "arms2") (param $n i32) (result i32)
        (drop (call $now))
        (if (local.get $n) (then (loop $l)) (else (drop (call $now))))
        (drop (call $now))
        (i32.const 0))
      (func (export "cond") (param $n i32) (result i32)
        (drop (call $now))
        (loop $l)
        (if (local.get $n) (then (drop (call $now))))
        (drop (call $now))
        (i32.const 0))`,
        AGENT_IMPORTS,
      ),
    );
    const { fuel, fn } = withChargingNow(bytes, (left) => seen.push(10_000n - left));
    /** Fuel spent before each host call, and in all, by one call of `name`. */
    const run = (name: string, n: number): bigint[] => {
      seen.length = 0;
      fuel.value = 10_000n;
      expect(fn(name)(n)).toBe(0);
      return [...seen, 10_000n - (fuel.value as bigint)];
    };
    // merge: 10 at entry (call drop local.get if loop end call drop i32.const end), the loop's 1.
    expect(run("merge", 1)).toEqual([10n, 111n, 211n]);
    expect(run("merge", 0)).toEqual([10n, 110n, 210n]);
    // exit: 11 at entry; the branch out of the block skips the loop.
    expect(run("exit", 0)).toEqual([11n, 112n, 212n]);
    expect(run("exit", 1)).toEqual([11n, 111n, 211n]);
    // arms: 13 at entry; the `else` arm starts in sync and charges.
    expect(run("arms", 0)).toEqual([13n, 114n, 214n]);
    expect(run("arms", 1)).toEqual([13n, 113n, 213n, 313n]);
    // The same, with the path that charged arriving by a branch, the other arm, or a false condition.
    expect(run("exit2", 1)).toEqual([13n, 114n, 214n]);
    expect(run("exit2", 0)).toEqual([13n, 114n, 214n, 314n]);
    expect(run("arms2", 1)).toEqual([13n, 114n, 214n]);
    expect(run("arms2", 0)).toEqual([13n, 113n, 213n, 313n]);
    expect(run("cond", 0)).toEqual([12n, 113n, 213n]);
    expect(run("cond", 1)).toEqual([12n, 113n, 213n, 313n]);
  });
});
