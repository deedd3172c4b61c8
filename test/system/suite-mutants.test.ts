import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  messageBackchannel,
  openRuntimeChannel,
  runSuite,
  toProfile,
  type RunReport,
} from "../../harness/core/index.js";
import { deployAgent } from "../../harness/node/deploy.js";
import { mutants, type Mutant } from "../../fixtures/mutants.js";
import { fipa } from "../../suites/fipa/index.js";
import { startRuntime, type LocalRuntime } from "../../worker/local/runtime.js";
import { startCpuHog } from "./helpers/cpu-hog.js";

/**
 * The trust test (issue 4, item 7): the fipa suite is only trusted if the reference agent is
 * interoperable on every junction and each mutant (the reference with one fault, see
 * fixtures/mutants.ts) is caught by an essential test of the junction its fault belongs to,
 * while the junctions its fault does not reach stay interoperable.
 *
 * Everything runs through one real embedded runtime (workerd), every agent deployed once, all
 * runs side by side, as `agtest run --agent` would run each of them: once on a calm machine, and
 * once with every core saturated by busy-looping threads (issue 11: a verdict must not change
 * with the load of a shared CI runner).
 */

/** Passive junctions where the agent answers: a threading fault shows in every one of them. */
const ANSWERS = [
  "protocols.fipa-request.passive",
  "protocols.fipa-query.passive",
  "protocols.fipa-contract-net.passive",
  "metadata.passive",
];

/**
 * Where each fault must be caught: an essential `test` of `junction` (divergent), plus `also`,
 * the other junctions the fault reaches. Every other junction must stay interoperable.
 */
const CAUGHT: Record<string, { junction: string; test: string; also?: string[] }> = {
  "mutant-wrong-conversation-id": { junction: "core.passive", test: "reply-echoes-conversation-id", also: ANSWERS },
  "mutant-wrong-in-reply-to": { junction: "core.passive", test: "reply-quotes-reply-with", also: ANSWERS },
  "mutant-replies-to-sender": {
    junction: "core.passive",
    test: "reply-honours-reply-to",
    also: ["transports.http.passive"],
  },
  "mutant-no-not-understood": { junction: "core.passive", test: "not-understood.unintelligible-content" },
  "mutant-inform-before-agree": { junction: "protocols.fipa-request.passive", test: "agree-comes-before-inform" },
  "mutant-late-proposal": { junction: "protocols.fipa-contract-net.passive", test: "respects-the-deadline" },
  "mutant-proposes-after-reject": {
    junction: "protocols.fipa-contract-net.passive",
    test: "rejection-ends-the-thread",
  },
  "mutant-accepts-refusal": { junction: "protocols.fipa-contract-net.active", test: "refusal-is-final" },
  "mutant-no-deadline": { junction: "protocols.fipa-contract-net.active", test: "sends-a-cfp" },
  "mutant-stale-profile": { junction: "metadata.passive", test: "answers-the-profile-request" },
  // Its wrong message comes after fourteen busy bounces (seconds on a loaded machine): longer than
  // any fixed window the suite used to wait, so only deterministic silence catches it.
  "mutant-late-inform": { junction: "protocols.fipa-request.passive", test: "agree-comes-before-inform" },
};

const token = "suite-mutants-token";
let runtime: LocalRuntime;
let all: Mutant[];
/** The runs, unloaded and with every core saturated: `reference`, `mutant-...` -> report. */
const runs = { calm: new Map<string, RunReport>(), saturated: new Map<string, RunReport>() };
let hogRounds: number[] = [];

/**
 * Deploys every agent under `prefix` and runs the suite against all of them side by side, as
 * `agtest run --agent` would run each (a channel and agact messages per agent). Under load the
 * tests get a larger budget: budgets bound how long an expected answer may take, and a slow
 * machine must not fail the reference; what the verdicts rest on (the runtime saying an agent is
 * quiet) does not depend on time at all.
 */
async function runAll(prefix: string, into: Map<string, RunReport>, timeout?: number): Promise<void> {
  const names = ["reference", ...all.map((m) => m.name)];
  // As `agtest run --agent` deploys: egress only to the runtime's own host (the harness's relay URL).
  const manifest = { egress: [new URL(runtime.url).host] };
  await Promise.all(
    names.map((name) =>
      deployAgent({
        url: runtime.url,
        token,
        name: `${prefix}${name}`,
        bytes: new Uint8Array(readFileSync(`fixtures/agents/${name}.wasm`)),
        manifest,
      }),
    ),
  );
  await Promise.all(
    names.map(async (name) => {
      const channel = await openRuntimeChannel({ url: runtime.url, token, agent: `${prefix}${name}` });
      try {
        into.set(
          name,
          await runSuite(fipa, { channel, backchannel: messageBackchannel(channel), ...(timeout ? { timeout } : {}) }),
        );
      } finally {
        await channel.close();
      }
    }),
  );
}

beforeAll(async () => {
  all = await mutants();
  // As `agtest run --agent` starts it: loopback egress allowed (the runtime's own host).
  runtime = await startRuntime({ port: 0, token, persistTo: false, logLevel: "error", privateEgress: ["127.0.0.1"] });
  // Every agent at once, nothing held back: no dev proxy stands in front of workerd any more.
  await runAll("", runs.calm, 30_000);
  // Then again with every core busy-looping (bounded: the hog stops itself after 5 minutes).
  const hog = startCpuHog(300_000);
  try {
    await runAll("loaded-", runs.saturated, 30_000);
  } finally {
    hogRounds = hog.rounds();
    await hog.stop();
  }
}, 900_000);

afterAll(async () => {
  await runtime?.stop();
});

/** Junction -> score, and the failing tests, for readable assertion diffs. */
function summary(report: RunReport) {
  return {
    scores: Object.fromEntries(report.junctions.map((j) => [j.junction, j.score])),
    failing: report.results
      .filter((r) => r.status !== "pass")
      .map((r) => `${r.test}: ${r.failure?.message ?? r.status}`),
  };
}

describe.each([
  ["unloaded", runs.calm],
  ["with every core saturated by a CPU hog", runs.saturated],
] as const)("the fipa suite against the reference agent and its mutants, %s", (_, reports) => {
  it("every mutant has a fault the suite must catch, and every fault a mutant", () => {
    expect(all.map((m) => m.name).sort()).toEqual(Object.keys(CAUGHT).sort());
  });

  it("the reference is interoperable on every junction of the suite", () => {
    const report = reports.get("reference");
    expect(report).toBeDefined();
    const { scores, failing } = summary(report!);
    expect(failing).toEqual([]);
    expect(scores).toEqual(Object.fromEntries(fipa.junctions.map((j) => [j.id, "interoperable"])));
    // Every "nothing more arrives" check was the runtime's quiescence, never a timed window.
    expect(report!.silence?.mode).toBe("quiescent");
    expect(report!.results.flatMap((r) => r.silence ?? []).every((w) => w.mode === "quiescent")).toBe(true);
  });

  it.each(Object.entries(CAUGHT))(
    "%s is caught by an essential test of the right junction, and only where its fault is",
    (name, caught) => {
      const report = reports.get(name);
      expect(report, `no run for ${name}`).toBeDefined();
      const junction = report!.junctions.find((j) => j.junction === caught.junction);
      expect(junction?.score, JSON.stringify(summary(report!), null, 2)).toBe("divergent");
      expect(junction?.essential_failures).toContain(`${caught.junction}.${caught.test}`);
      const reached = [caught.junction, ...(caught.also ?? [])].sort();
      const below = report!.junctions
        .filter((j) => j.score !== "interoperable")
        .map((j) => j.junction)
        .sort();
      expect(below, JSON.stringify(summary(report!), null, 2)).toEqual(reached);
      // Every junction ran: none was left out (absent would mean divergent without a test failing).
      expect(report!.junctions.map((j) => j.junction)).toEqual(fipa.junctions.map((j) => j.id));
    },
  );
});

describe("the trust test's conditions", () => {
  it("the hog really kept every core busy during the saturated runs", () => {
    expect(hogRounds.length).toBeGreaterThanOrEqual(2);
    for (const rounds of hogRounds) expect(rounds).toBeGreaterThan(100);
  });

  it("mutant-late-inform's wrong inform is the late one: it came after the chain of bounces, and was caught", () => {
    for (const reports of [runs.calm, runs.saturated]) {
      const failed = reports
        .get("mutant-late-inform")
        ?.results.find((r) => r.test === "protocols.fipa-request.passive.agree-comes-before-inform");
      expect(failed?.failure?.received).toMatchObject({ performative: "inform", content: { echo: "again, late" } });
    }
  });

  it("the reference reports, when asked, the profile the run produced for it", async () => {
    const res = await fetch(`${runtime.url}/v1/messages?wait=5000`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({
        performative: "query-ref",
        sender: "someone",
        receiver: "reference",
        protocol: "fipa-query",
        ontology: "agent-metadata",
        language: "application/json",
        content: { what: [{ "interop-profile": fipa.uri }] },
      }),
    });
    const answer = (await res.json()) as {
      performative: string;
      content: [{ "interop-profile": { test_suite: string; profile: object } }];
    };
    expect(answer.performative).toBe("inform");
    const claimed = answer.content[0]["interop-profile"];
    const measured = toProfile(runs.calm.get("reference")!);
    expect({ test_suite: claimed.test_suite, profile: claimed.profile }).toEqual({
      test_suite: measured.test_suite,
      profile: measured.profile,
    });
  });
});
