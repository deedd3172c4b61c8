import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { glueModule } from "../../harness/glue-build.js";
import { DEFAULT_LIMITS } from "../../worker/limits.js";
import { exportMutableGlobals } from "../../worker/sandbox/globals.js";
import type { CallOptions, GlueDurable, SandboxOutcome } from "../../worker/sandbox/isolate/contract.js";
import { createSandbox } from "../../worker/sandbox/isolate/sandbox.js";
import { prepareModule } from "../../worker/wasm/index.js";

/**
 * The glue that runs in each agent isolate, run here in Node on the fixture agents, prepared as
 * the deploy route prepares them: every failure comes back with the kind the host reads.
 * (test/integration and test/security run the same code inside real Worker Loader isolates.)
 */
function sandboxOf(fixture: string, limits: { fuel?: number; memoryPages?: number } = {}) {
  const wasm = readFileSync(`fixtures/agents/${fixture}.wasm`);
  const fuel = limits.fuel ?? DEFAULT_LIMITS.fuel;
  const prepared = prepareModule(wasm, { maxMemoryPages: limits.memoryPages ?? 64, fuel: BigInt(fuel) });
  const sandbox = createSandbox(new WebAssembly.Module(exportMutableGlobals(prepared.bytes)));
  const options = (durable: GlueDurable | null = null): CallOptions => ({
    fuel,
    maxMessageBytes: DEFAULT_LIMITS.message_bytes,
    maxSends: 64,
    durable,
  });
  return { sandbox, options };
}

const message = (content: unknown, receiver = "agent") =>
  JSON.stringify({
    performative: "request",
    sender: "harness",
    receiver,
    content,
    conversation_id: "c-1",
    reply_with: "r-1",
    protocol: "fipa-request",
  });

/** The durable side of a call, as the host sends it (a generous quota, no timers pending). */
const durable = (over: Partial<GlueDurable>): GlueDurable => ({
  token: null,
  next: "1:1",
  stateQuota: 1 << 20,
  maxValueBytes: 1 << 16,
  maxTimers: 8,
  pendingTimers: 0,
  boot: false,
  state: [],
  restore: null,
  ...over,
});

function failure(outcome: SandboxOutcome) {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe("the isolate glue (worker/sandbox/isolate)", () => {
  it("boots an agent (init's log line) and delivers a message: its send, its fuel", async () => {
    const { sandbox, options } = sandboxOf("ping");
    expect(await sandbox.boot(options(), null)).toMatchObject({ ok: true, rc: 0, logs: [{ text: "ping ready" }] });
    const handled = await sandbox.deliver(message("ping"), options(), null);
    expect(handled).toMatchObject({ ok: true, rc: 0, rejected: 0 });
    if (!handled.ok) return;
    expect(JSON.parse(handled.sent[0]!)).toMatchObject({ performative: "inform", content: "pong" });
    expect(handled.fuelUsed).toBeGreaterThan(0);
  });

  it("an exhausted budget is kind `cpu` in the handle phase", async () => {
    const { sandbox, options } = sandboxOf("cpu-burn", { fuel: 100_000 });
    const outcome = failure(await sandbox.deliver(message("2000000"), options(), null));
    expect(outcome).toMatchObject({ kind: "cpu", phase: "handle" });
  });

  it("a refused memory.grow is kind `memory`", async () => {
    const { sandbox, options } = sandboxOf("memory-hog", { memoryPages: 4 });
    expect(failure(await sandbox.deliver(message("more"), options(), null))).toMatchObject({
      kind: "memory",
      phase: "handle",
    });
  });

  it("a durable agent asks for its checkpoint (kind `restore`), then runs from the one it is sent", async () => {
    const { sandbox, options } = sandboxOf("counter");
    const booted = await sandbox.boot(options(durable({ boot: true, next: "1:0" })), null);
    expect(booted).toMatchObject({ ok: true });
    if (!booted.ok || !booted.durable) throw new Error("no checkpoint from the boot");
    const count = message({ op: "count" });
    const counted = await sandbox.deliver(count, options(durable({ token: "1:0", next: "1:1" })), null);
    expect(counted).toMatchObject({ ok: true, durable: { token: "1:1" } });
    // A host that holds another token: the isolate runs nothing and asks for the checkpoint.
    expect(await sandbox.deliver(count, options(durable({ token: "2:0", next: "2:1" })), null)).toMatchObject({
      ok: false,
      kind: "restore",
      phase: "instantiate",
    });
    // The boot's checkpoint, restored: the count starts again from it (1, not 2).
    const { memory } = booted.durable;
    const restore = { token: "2:0", count: memory.pages.length, ...memory, state: [] };
    const again = await sandbox.deliver(count, options(durable({ token: "2:0", next: "2:1", restore })), null);
    expect(again).toMatchObject({ ok: true, durable: { token: "2:1" } });
    if (again.ok) expect(JSON.parse(again.sent[0]!)).toMatchObject({ content: { count: 1 } });
  });

  it("a checkpoint whose globals do not fit the module is a `trap`, and one the host could not finish sending `transient`", async () => {
    const { sandbox, options } = sandboxOf("counter");
    const base = durable({
      token: "1:0",
      restore: { token: "1:0", size: 1, count: 0, pages: [], globals: new Uint8Array(3), state: [] },
    });
    expect(failure(await sandbox.deliver(message({ op: "count" }), options(base), null))).toMatchObject({
      kind: "trap",
      message: expect.stringContaining("checkpoint globals do not match"),
    });
    const partial = { ...base, restore: { ...base.restore!, count: 300 } };
    expect(failure(await sandbox.deliver(message({ op: "count" }), options(partial), null))).toMatchObject({
      kind: "transient",
    });
  });
});

describe("worker/sandbox/glue.gen.ts", () => {
  it("is what `npm run build:glue` builds from worker/sandbox/isolate/ now, byte for byte", async () => {
    const committed = readFileSync("worker/sandbox/glue.gen.ts", "utf8");
    expect(committed === (await glueModule()), "glue.gen.ts is stale: run `npm run build:glue` and commit it").toBe(
      true,
    );
  });
});
