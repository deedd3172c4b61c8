import { describe, expect, it } from "vitest";
import {
  BackchannelBroken,
  BackchannelLies,
  defineSuite,
  inboundFromText,
  memoryChannel,
  messageBackchannel,
  noBackchannel,
  runSuite,
  test,
  type Backchannel,
  type RunReport,
} from "../../harness/core/index.js";
import { fipa } from "../../suites/fipa/index.js";
import { fakeAgent, type Fault } from "./helpers/fake-agent.js";

async function runFipa(faults: Fault[] = [], features = ["core.passive", "core.active"]): Promise<RunReport> {
  const channel = memoryChannel(fakeAgent({ faults }), { agent: "agent" });
  try {
    // Short budgets: a broken agent makes tests wait for answers that never come.
    return await runSuite(fipa, {
      channel,
      backchannel: messageBackchannel(channel, { timeout: 200 }),
      features,
      timeout: 300,
    });
  } finally {
    await channel.close();
  }
}

const scores = (report: RunReport) => Object.fromEntries(report.junctions.map((j) => [j.junction, j.score]));

describe("runSuite with the fipa core cluster and an in-memory agent", () => {
  it("a correct agent is interoperable on both sides, setup and teardown around every test", async () => {
    const log: string[] = [];
    const channel = memoryChannel(fakeAgent({ log }), { agent: "agent" });
    const report = await runSuite(fipa, {
      channel,
      backchannel: messageBackchannel(channel),
      features: ["core.passive", "core.active"],
    });
    expect(report.results.filter((r) => r.status !== "pass")).toEqual([]);
    expect(scores(report)).toEqual({ "core.passive": "interoperable", "core.active": "interoperable" });
    const core = fipa.tests.filter((t) => t.cluster === "core").length;
    const setups = log.filter((l) => l.includes('"action":"setup"')).length;
    expect(setups).toBe(core);
    expect(log.filter((l) => l.includes('"action":"teardown"')).length).toBe(core);
    expect(log[0]).toMatch(/agtest-probe-[0-9a-f]{12}/);
  });

  it.each([
    [["wrong-conversation-id"], "divergent"],
    [["no-in-reply-to"], "divergent"],
    [["understands-everything"], "divergent"],
    [["silent"], "divergent"],
    [["garbage"], "divergent"],
    [["drops-protocol"], "constrained (13 of 14)"],
  ] as [Fault[], string][])("an agent with %j scores %s on core.passive", async (faults, score) => {
    const report = await runFipa(faults, ["core.passive"]);
    expect(scores(report)).toEqual({ "core.passive": score });
  });

  it("failures carry the expected and the received message", async () => {
    const report = await runFipa(["wrong-conversation-id"], ["core.passive"]);
    const r = report.results.find((x) => x.test === "core.passive.reply-echoes-conversation-id");
    expect(r?.status).toBe("fail");
    expect(r?.failure?.expected).toMatchObject({ conversation_id: expect.stringMatching(/^c-agtest-/) });
    expect(r?.failure?.received).toMatchObject({ performative: "inform", conversation_id: "c-something-else" });
    expect(report.junctions[0]?.essential_failures).toContain("core.passive.reply-echoes-conversation-id");
  });

  it("without a backchannel, active junctions are not run, and a claimed one is listed as such", async () => {
    const channel = memoryChannel(fakeAgent());
    const report = await runSuite(fipa, {
      channel,
      backchannel: noBackchannel,
      features: ["core.passive", "core.active"],
    });
    expect(report.junctions.map((j) => j.junction)).toEqual(["core.passive"]);
    expect(report.not_run).toEqual([{ junction: "core.active", reason: expect.stringContaining("no backchannel") }]);
  });

  it("an unsupported action fails essential tests and skips the others", async () => {
    const report = await runFipa(["no-agact"], ["core.active"]);
    const status = Object.fromEntries(report.results.map((r) => [r.test.split(".").pop(), r.status]));
    expect(status).toMatchObject({ "sends-when-asked": "fail", "starts-a-conversation": "skip" });
    expect(scores(report)).toEqual({ "core.active": "divergent" });
    expect(report.notes).toContain("the message backchannel does not support `setup`: tests ran without it");
  });

  it("rejects a claimed junction the suite does not have", async () => {
    await expect(runSuite(fipa, { channel: memoryChannel(fakeAgent()), features: ["core.pasive"] })).rejects.toThrow(
      RangeError,
    );
  });
});

describe("runner mechanics", () => {
  const yes: Backchannel = { kind: "liar", act: async () => ({ code: 0 }) };
  const broken: Backchannel = { kind: "broken", act: async () => ({ code: 1, detail: "pipe closed" }) };

  it("stops before any test when the backchannel says yes to an action that does not exist", async () => {
    await expect(runSuite(fipa, { channel: memoryChannel(fakeAgent()), backchannel: yes })).rejects.toThrow(
      BackchannelLies,
    );
  });

  it("stops when the backchannel is broken", async () => {
    await expect(runSuite(fipa, { channel: memoryChannel(fakeAgent()), backchannel: broken })).rejects.toThrow(
      BackchannelBroken,
    );
  });

  it("a test that overruns its budget fails, one that throws is an error, and the next test still runs", async () => {
    const suite = defineSuite({
      id: "mechanics",
      version: "0.1.0",
      title: "runner mechanics",
      clusters: [
        {
          id: "x",
          title: "x",
          passive: [
            test("hangs", { description: "never ends", timeout: 50 }, () => new Promise(() => undefined)),
            test("throws", { description: "a bug in the test" }, () => {
              throw new TypeError("oops");
            }),
            test("waits", { description: "expects a message that never comes", timeout: 80 }, async (t) => {
              await t.expect({ performative: "inform" });
            }),
            test("passes", { description: "fine", essential: true }, () => undefined),
          ],
        },
      ],
    });
    const report = await runSuite(suite, { channel: memoryChannel(() => undefined) });
    const byName = Object.fromEntries(report.results.map((r) => [r.test, r]));
    expect(byName["x.passive.hangs"]).toMatchObject({
      status: "fail",
      failure: { message: "the test did not finish within its 50 ms" },
    });
    expect(byName["x.passive.throws"]).toMatchObject({
      status: "error",
      failure: { message: expect.stringContaining("TypeError: oops") },
    });
    expect(byName["x.passive.waits"]).toMatchObject({
      status: "fail",
      failure: { expected: { performative: "inform" }, received: "nothing" },
    });
    expect(byName["x.passive.passes"]?.status).toBe("pass");
    expect(scores(report)).toEqual({ "x.passive": "constrained (1 of 4)" });
  });

  it("bytes that are not JSON are an error for the waiting test, never a crash", async () => {
    // The garbage is pushed from outside the agent, so the agent's quiescence says nothing about it.
    const channel = memoryChannel(() => undefined, { quiescence: false });
    const suite = defineSuite({
      id: "garbage",
      version: "1.0.0",
      title: "garbage",
      clusters: [
        {
          id: "g",
          title: "g",
          passive: [
            test("reads", { description: "reads one message" }, async (t) => {
              setTimeout(() => channel.inbox.push(inboundFromText('{"performative": "inf', "inbox file 1.json")), 5);
              await t.expect();
            }),
          ],
        },
      ],
    });
    const [result] = (await runSuite(suite, { channel })).results;
    expect(result).toMatchObject({
      status: "error",
      failure: { message: expect.stringContaining("not JSON"), received: '{"performative": "inf' },
    });
  });
});
