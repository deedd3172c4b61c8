import { readFileSync } from "node:fs";
import { prepareModule } from "../worker/wasm/index.js";
import { type Summary, sideBySide, summarize } from "./stats.js";

type Exports = {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  handle(ptr: number, len: number): number;
  __agtest_fuel?: WebAssembly.Global;
};

function instantiate(bytes: Uint8Array<ArrayBuffer>): { call(text: string): string } {
  let sent = "";
  let exports: Exports | undefined;
  const memory = () => (exports as Exports).memory.buffer;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    agent: {
      send: (ptr: number, len: number) => ((sent = new TextDecoder().decode(new Uint8Array(memory(), ptr, len))), 0),
      log: () => undefined,
      now: () => BigInt(Date.now()),
      random: () => undefined,
    },
    env: { abort: () => { throw new Error("abort"); } },
  });
  exports = instance.exports as unknown as Exports;
  const ex = exports;
  return {
    call(text: string) {
      if (ex.__agtest_fuel) ex.__agtest_fuel.value = 10n ** 15n;
      const bytes = new TextEncoder().encode(text);
      const ptr = ex.alloc(bytes.length);
      new Uint8Array(ex.memory.buffer, ptr, bytes.length).set(bytes);
      if (ex.handle(ptr, bytes.length) !== 0) throw new Error("handle failed");
      return sent;
    },
  };
}

/** Fuel overhead: the `cpu-burn` fixture, plain vs instrumented, in Node; and fuel per millisecond. */
export async function benchFuel(rounds: number): Promise<{ plain: Summary; fueled: Summary; fuelPerMs: number }> {
  const original = new Uint8Array(readFileSync("fixtures/agents/cpu-burn.wasm"));
  const prepared = prepareModule(original, { maxMemoryPages: 256, fuel: 10n ** 15n });
  const plain = instantiate(original);
  const instrumented = prepared.bytes as Uint8Array<ArrayBuffer>;
  const fueled = instantiate(instrumented);
  const message = JSON.stringify({ performative: "request", sender: "b", receiver: "cpu-burn", content: "200000" });
  if (plain.call(message) !== fueled.call(message)) throw new Error("instrumented module answered differently");
  for (let i = 0; i < 3; i++) plain.call(message), fueled.call(message);
  const [tp, tf] = await sideBySide(rounds, async () => plain.call(message), async () => fueled.call(message));

  // How much fuel one millisecond of this work burns: calibrates the default budget.
  const probe = new WebAssembly.Instance(new WebAssembly.Module(instrumented), {
    agent: { send: () => 0, log: () => undefined, now: () => 0n, random: () => undefined },
    env: { abort: () => undefined },
  }).exports as unknown as Required<Exports>;
  const bytes = new TextEncoder().encode(message);
  probe.__agtest_fuel.value = 10n ** 15n;
  const ptr = probe.alloc(bytes.length);
  new Uint8Array(probe.memory.buffer, ptr, bytes.length).set(bytes);
  const before = probe.__agtest_fuel.value as bigint;
  const t0 = performance.now();
  probe.handle(ptr, bytes.length);
  const ms = performance.now() - t0;
  const used = Number(before - (probe.__agtest_fuel.value as bigint));
  return { plain: summarize(tp), fueled: summarize(tf), fuelPerMs: used / ms };
}
