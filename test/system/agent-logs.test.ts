import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  defineSuite,
  junitReport,
  openRuntimeChannel,
  runSuite,
  tableReport,
  test,
  type RunReport,
} from "../../harness/core/index.js";
import { deployAgent } from "../../harness/node/deploy.js";
import { type LocalRuntime, startRuntime } from "../../worker/local/runtime.js";

// Issue 13, item 5: `agtest run` prints, under each failing test, the agent's own log lines
// written during that test (read from the runtime's `GET /v1/agents/:name/logs`).
const token = "agent-logs-token";
let runtime: LocalRuntime;
let report: RunReport;

/** The counter logs one line per op ("count N"): a test that asks it to count, then fails. */
const suite = defineSuite({
  id: "logs",
  version: "0.1.0",
  title: "agent logs under failing tests",
  clusters: [
    {
      id: "x",
      title: "x",
      passive: [
        test("counts-then-fails", { description: "the agent counts (and logs it), then the test fails" }, async (t) => {
          await t.ask({ performative: "request", content: { op: "count" } }, { performative: "inform" });
          t.assert(false, "failed on purpose, after the agent logged");
        }),
        test("counts-and-passes", { description: "the agent counts (and logs it); the test passes" }, async (t) => {
          await t.ask({ performative: "request", content: { op: "count" } }, { performative: "inform" });
        }),
        test("fails-alone", { description: "fails without the agent doing anything" }, (t) => {
          t.assert(false, "failed on purpose, the agent silent");
        }),
        test("counts-twice-then-fails", { description: "two counts, then the test fails" }, async (t) => {
          await t.ask({ performative: "request", content: { op: "count" } }, { performative: "inform" });
          await t.ask({ performative: "request", content: { op: "count" } }, { performative: "inform" });
          t.assert(false, "failed on purpose, after two counts");
        }),
      ],
    },
  ],
});

beforeAll(async () => {
  runtime = await startRuntime({ port: 0, token, persistTo: false, logLevel: "error" });
  const bytes = new Uint8Array(readFileSync("fixtures/agents/counter.wasm"));
  await deployAgent({ url: runtime.url, token, name: "logger", bytes });
  const channel = await openRuntimeChannel({ url: runtime.url, token, agent: "logger" });
  try {
    report = await runSuite(suite, { channel, timeout: 20_000 });
  } finally {
    await channel.close();
  }
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
});

describe("the agent's log under each failing test", () => {
  const result = (name: string) => report.results.find((r) => r.test === `x.passive.${name}`);

  it("a failing test keeps exactly the lines the agent wrote during it", () => {
    expect(result("counts-then-fails")).toMatchObject({ status: "fail", agent_log: ["info count 1"] });
    // Lines of the passing test before it do not leak into the next failing ones.
    expect(result("counts-twice-then-fails")).toMatchObject({
      status: "fail",
      agent_log: ["info count 3", "info count 4"],
    });
  });

  it("a passing test, and a failing one during which the agent wrote nothing, keep none", () => {
    expect(result("counts-and-passes")).toMatchObject({ status: "pass" });
    expect(result("counts-and-passes")?.agent_log).toBeUndefined();
    expect(result("fails-alone")).toMatchObject({ status: "fail" });
    expect(result("fails-alone")?.agent_log).toBeUndefined();
  });

  it("the table prints them under the failure, and JUnit as the test's output", () => {
    const table = tableReport(report);
    expect(table).toContain(
      "failed on purpose, after the agent logged\n        the agent's log during the test:\n          info count 1\n",
    );
    expect(junitReport(report)).toContain("<system-out>info count 3\ninfo count 4</system-out>");
  });
});
