import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  messageBackchannel,
  openRuntimeChannel,
  parseProfile,
  runSuite,
  type Channel,
  type RunReport,
} from "../../harness/core/index.js";
import { deployAgent } from "../../harness/node/deploy.js";
import { fipa } from "../../suites/fipa/index.js";
import { startRuntime, type LocalRuntime } from "../../worker/local/runtime.js";

/**
 * Durable agents: with AGTEST_FRESH_ISOLATES=1 (what `agtest run --agent ... --fresh-isolates`
 * starts) every delivery runs in a new isolate, as the edge may do. The reference agent keeps its
 * conversations in linear memory; only the runtime's checkpoints carry them from one message to
 * the next, so this run is interoperable on every junction only if they work.
 */
const token = "fresh-isolates-token";
let runtime: LocalRuntime;
let channel: Channel | undefined;
let report: RunReport;

beforeAll(async () => {
  // As `agtest run --agent` starts it: loopback egress allowed (the runtime's own host).
  runtime = await startRuntime({
    port: 0,
    token,
    persistTo: false,
    logLevel: "error",
    freshIsolates: true,
    privateEgress: ["127.0.0.1"],
  });
  const manifest = { egress: [new URL(runtime.url).host] };
  await deployAgent({
    url: runtime.url,
    token,
    name: "reference",
    bytes: new Uint8Array(readFileSync("fixtures/agents/reference.wasm")),
    manifest,
  });
  channel = await openRuntimeChannel({ url: runtime.url, token, agent: "reference" });
  report = await runSuite(fipa, { channel, backchannel: messageBackchannel(channel) });
}, 240_000);

afterAll(async () => {
  await runtime?.stop();
  await channel?.close().catch(() => undefined);
});

describe("the fipa suite against the reference agent, a fresh isolate per delivery", () => {
  it("is interoperable on every junction", () => {
    const failing = report.results
      .filter((r) => r.status !== "pass")
      .map((r) => `${r.test}: ${r.failure?.message ?? r.status}`);
    expect(failing).toEqual([]);
    expect(Object.fromEntries(report.junctions.map((j) => [j.junction, j.score]))).toEqual(
      Object.fromEntries(fipa.junctions.map((j) => [j.id, "interoperable"])),
    );
  });

  it("ran in fresh isolates: the agent's memory was restored from checkpoints", async () => {
    // The reference's log has no lines, but its checkpoint exists and every message was handled.
    const record = (await (
      await fetch(`${runtime.url}/v1/agents/reference`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { stats: { messages_in: number; traps: number } };
    expect(record.stats.messages_in).toBeGreaterThan(50);
    expect(record.stats.traps).toBe(0);
  });
});

describe("agtest run --fresh-isolates", () => {
  it("starts the embedded runtime in fresh-isolate mode: the reference's contract net still holds", async () => {
    const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          "harness/node/bin.mjs",
          "run",
          "--agent",
          "fixtures/agents/reference.wasm",
          "--fresh-isolates",
          "--features",
          "protocols.fipa-contract-net.passive",
          "--format",
          "json",
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      let out = "";
      child.stdout.on("data", (c: Buffer) => (out += c.toString()));
      child.on("close", (code) => resolve({ code, out }));
    });
    expect(run.code).toBe(0);
    expect(parseProfile(JSON.parse(run.out)).profile).toEqual({
      "protocols.fipa-contract-net.passive": "interoperable",
    });
  });
});
