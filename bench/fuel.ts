import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import wabtInit from "wabt";
import { DEFAULT_FUEL } from "../worker/limits.js";
import { HOST_FUEL } from "../worker/wasm/costs.js";
import { prepareModule } from "../worker/wasm/index.js";
import { bulkAgent } from "../test/helpers/bulk-agents.js";
import { type Summary, sideBySide, summarize } from "./stats.js";

type Exports = {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  handle(ptr: number, len: number): number;
  [name: string]: unknown;
  __agtest_fuel?: WebAssembly.Global;
};

const PLENTY = 10n ** 15n;
const MiB16 = 16 * 1024 * 1024;

/**
 * Host imports shaped like the sandbox glue's: `random` and `send` charge the fuel global as the
 * glue does (worker/sandbox/glue.ts, `HOST_FUEL`), so the bench's fuel rates include host calls.
 */
function hostImports(exports: () => Exports): WebAssembly.Imports {
  const charge = (cost: number): void => {
    const fuel = exports().__agtest_fuel;
    if (fuel) fuel.value = (fuel.value as bigint) - BigInt(cost);
  };
  const bytes = (ptr: number, len: number) => new Uint8Array(exports().memory.buffer, ptr, len);
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  return {
    agent: {
      send: (ptr: number, len: number) => {
        charge(HOST_FUEL.call + len * HOST_FUEL.sendPerByte);
        JSON.parse(utf8.decode(bytes(ptr, len)));
        return 0;
      },
      log: () => charge(HOST_FUEL.call),
      now: () => (charge(HOST_FUEL.call), BigInt(Date.now())),
      random: (ptr: number, len: number) => {
        charge(HOST_FUEL.call + len * HOST_FUEL.randomPerByte);
        const b = bytes(ptr, len);
        for (let i = 0; i < b.length; i += 65536) crypto.getRandomValues(b.subarray(i, i + 65536));
      },
    },
    env: {
      abort: () => {
        throw new Error("abort");
      },
    },
  };
}

function instantiate(bytes: Uint8Array<ArrayBuffer>): Exports {
  let exports: Exports | undefined;
  exports = new WebAssembly.Instance(
    new WebAssembly.Module(bytes),
    hostImports(() => exports!),
  ).exports as unknown as Exports;
  return exports;
}

/** Kernels: what each export does, called with `arg`; written to isolate one cost each. */
const KERNELS = `(module
  (import "agent" "send" (func $send (param i32 i32) (result i32)))
  (import "agent" "random" (func $random (param i32 i32)))
  (memory (export "memory") 256)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "handle") (param i32 i32) (result i32) (i32.const 0))
  ;; a tight loop: an add, a xor-shift and the loop test per iteration
  (func (export "tight") (param $n i32) (result i32) (local $i i32) (local $x i32)
    (local.set $x (i32.const 1))
    (loop $l
      (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))
      (local.set $x (i32.add (local.get $x) (local.get $i)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $x))
  ;; a memory loop: sums 1 MiB of i32s, n times
  (func (export "memsum") (param $n i32) (result i32) (local $p i32) (local $acc i32)
    (loop $outer
      (local.set $p (i32.const 0))
      (loop $inner
        (local.set $acc (i32.add (local.get $acc) (i32.load (local.get $p))))
        (br_if $inner (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 4))) (i32.const 1048576))))
      (br_if $outer (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))
  ;; call-heavy: naive Fibonacci
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1))) (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  ;; 64 sends of a 4 KiB JSON string, n times (the host's work, paid per byte)
  (data (i32.const 2097152) "\\"")
  (data (i32.const 2101247) "\\"")
  (func (export "sends") (param $n i32) (result i32) (local $k i32)
    (memory.fill (i32.const 2097153) (i32.const 97) (i32.const 4094))
    (loop $l
      (local.set $k (i32.const 64))
      (loop $s
        (drop (call $send (i32.const 2097152) (i32.const 4096)))
        (br_if $s (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 0))
  ;; 1 MiB of random bytes, n times
  (func (export "random") (param $n i32) (result i32)
    (loop $l
      (call $random (i32.const 0) (i32.const 1048576))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 0)))`;

async function kernels(): Promise<Uint8Array<ArrayBuffer>> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat("kernels.wat", KERNELS, { bulk_memory: true });
  try {
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

/**
 * One kernel, plain vs instrumented, side by side; `ratio` is the median of each round's
 * instrumented ÷ plain (the two samples of a round run back to back, so they share the load).
 */
export type Overhead = { name: string; plain: Summary; fueled: Summary; ratio: number };

function pairedRatio(plain: number[], fueled: number[]): number {
  return summarize(fueled.map((t, i) => t / plain[i]!)).p50;
}
/** Fuel burnt per millisecond by one class of work, and how long the default budget lasts on it. */
export type Rate = { name: string; fuelPerMs: number; budgetMs: number };

function call(ex: Exports, name: string, arg: number): unknown {
  return (ex[name] as (n: number) => unknown)(arg);
}

/** How long one overhead sample lasts, at least (ms). */
const SAMPLE_MS = 10;

/** How many calls of `run` one sample needs to last `SAMPLE_MS`. */
function repsFor(run: () => void): number {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < SAMPLE_MS / 2) run(), n++;
  return Math.max(1, 2 * n);
}

/** How fast `run` burns fuel on a prepared instance. */
function rate(name: string, ex: Exports, run: () => void): Rate {
  run(); // warm up
  const fuel = ex.__agtest_fuel!;
  fuel.value = PLENTY;
  const t0 = performance.now();
  let ms = 0;
  let n = 0;
  while (ms < 200 || n < 3) {
    run();
    n++;
    ms = performance.now() - t0;
  }
  const used = Number(PLENTY - (fuel.value as bigint));
  const fuelPerMs = used / ms;
  return { name, fuelPerMs, budgetMs: DEFAULT_FUEL / fuelPerMs };
}

/**
 * Fuel overhead on kernels (tight loop, memory loop, calls) and the `cpu-burn` fixture, plain vs
 * instrumented, in Node; and fuel per millisecond of each class of work (instructions, bulk
 * memory, host calls), which says how long the default budget lasts on each.
 */
export async function benchFuel(rounds: number): Promise<{ overheads: Overhead[]; rates: Rate[] }> {
  // Optimised code from the first call (no baseline tier, no tier-up racing the measurement on a
  // busy machine): the steady state, which is what the overhead is about.
  setFlagsFromString("--no-liftoff");
  const bytes = await kernels();
  const plain = instantiate(bytes);
  const fueled = instantiate(prepareModule(bytes, { maxMemoryPages: 256, fuel: PLENTY }).bytes);
  const overheads: Overhead[] = [];
  for (const [name, fn, arg] of [
    ["tight loop", "tight", 2_000_000],
    ["memory loop", "memsum", 4],
    ["call-heavy (fib)", "fib", 22],
  ] as const) {
    if (call(plain, fn, arg) !== call(fueled, fn, arg)) throw new Error(`instrumented ${fn} answered differently`);
    const refuel = () => void (fueled.__agtest_fuel!.value = PLENTY);
    // Warm up until both run optimised code (V8 tiers a function up after its first calls).
    for (let i = 0; i < 10; i++) call(plain, fn, arg), refuel(), call(fueled, fn, arg);
    // Each sample repeats the call enough times to last SAMPLE_MS (a kernel takes 0.1 to a few
    // ms, where one sample is mostly the machine's noise); figures are per call.
    const reps = repsFor(() => call(plain, fn, arg));
    const [tp, tf] = await sideBySide(
      rounds,
      async () => {
        for (let i = 0; i < reps; i++) call(plain, fn, arg);
      },
      async () => {
        for (let i = 0; i < reps; i++) refuel(), call(fueled, fn, arg);
      },
    );
    const perCall = (ms: number[]) => summarize(ms.map((t) => t / reps));
    overheads.push({ name, plain: perCall(tp), fueled: perCall(tf), ratio: pairedRatio(tp, tf) });
  }

  // The fixture the default budget was calibrated on.
  const burn = new Uint8Array(readFileSync("fixtures/agents/cpu-burn.wasm"));
  const message = new TextEncoder().encode(
    JSON.stringify({ performative: "request", sender: "b", receiver: "cpu-burn", content: "200000" }),
  );
  const deliver =
    (ex: Exports, refuel = true) =>
    () => {
      if (ex.__agtest_fuel && refuel) ex.__agtest_fuel.value = PLENTY;
      const ptr = ex.alloc(message.length);
      new Uint8Array(ex.memory.buffer, ptr, message.length).set(message);
      if (ex.handle(ptr, message.length) !== 0) throw new Error("cpu-burn failed");
    };
  const burnPlain = instantiate(burn);
  const burnFueled = instantiate(prepareModule(burn, { maxMemoryPages: 256, fuel: PLENTY }).bytes);
  for (let i = 0; i < 5; i++) deliver(burnPlain)(), deliver(burnFueled)();
  const [bp, bf] = await sideBySide(
    rounds,
    async () => deliver(burnPlain)(),
    async () => deliver(burnFueled)(),
  );
  overheads.push({
    name: "cpu-burn(200000) fixture",
    plain: summarize(bp),
    fueled: summarize(bf),
    ratio: pairedRatio(bp, bf),
  });

  const rates: Rate[] = [
    rate("instructions: cpu-burn fixture", burnFueled, deliver(burnFueled, false)),
    rate("instructions: tight loop", fueled, () => void call(fueled, "tight", 2_000_000)),
    rate("instructions: memory loop", fueled, () => void call(fueled, "memsum", 4)),
    rate("instructions: calls (fib)", fueled, () => void call(fueled, "fib", 22)),
  ];
  for (const [name, kind, size] of [
    ["memory.fill 16 MiB", "fill", MiB16],
    ["memory.copy 16 MiB", "copy", MiB16 - 1],
  ] as const) {
    const ex = instantiate(prepareModule(bulkAgent(kind, size, false), { maxMemoryPages: 256, fuel: PLENTY }).bytes);
    rates.push(rate(name, ex, () => void ex.handle(0, 0)));
  }
  rates.push(rate("host: random 1 MiB", fueled, () => void call(fueled, "random", 4)));
  rates.push(rate("host: send 4 KiB × 64", fueled, () => void call(fueled, "sends", 1)));
  return { overheads, rates };
}
