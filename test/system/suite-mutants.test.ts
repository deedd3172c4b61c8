import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageBackchannel, openRuntimeChannel, runSuite, toProfile, type Channel, type RunReport } from "../../harness/core/index.js";
import { deployAgent } from "../../harness/node/deploy.js";
import { mutants, type Mutant } from "../../fixtures/mutants.js";
import { fipa } from "../../suites/fipa/index.js";
import { startRuntime, type LocalRuntime } from "../../worker/local/runtime.js";

/**
 * The trust test (issue 4, item 7): the fipa suite is only trusted if the reference agent is
 * interoperable on every junction and each mutant (the reference with one fault, see
 * fixtures/mutants.ts) is caught by an essential test of the junction its fault belongs to,
 * while the junctions its fault does not reach stay interoperable.
 *
 * Everything runs through one real embedded runtime (workerd), every agent deployed once, the
 * runs side by side, as `agtest run --agent` would run each of them.
 */

/** Passive junctions where the agent answers: a threading fault shows in every one of them. */
const ANSWERS = ["protocols.fipa-request.passive", "protocols.fipa-query.passive", "protocols.fipa-contract-net.passive", "metadata.passive"];

/**
 * Where each fault must be caught: an essential `test` of `junction` (divergent), plus `also`,
 * the other junctions the fault reaches. Every other junction must stay interoperable.
 */
const CAUGHT: Record<string, { junction: string; test: string; also?: string[] }> = {
  "mutant-wrong-conversation-id": { junction: "core.passive", test: "reply-echoes-conversation-id", also: ANSWERS },
  "mutant-wrong-in-reply-to": { junction: "core.passive", test: "reply-quotes-reply-with", also: ANSWERS },
  "mutant-replies-to-sender": { junction: "core.passive", test: "reply-honours-reply-to", also: ["transports.http.passive"] },
  "mutant-no-not-understood": { junction: "core.passive", test: "not-understood.unintelligible-content" },
  "mutant-inform-before-agree": { junction: "protocols.fipa-request.passive", test: "agree-comes-before-inform" },
  "mutant-late-proposal": { junction: "protocols.fipa-contract-net.passive", test: "respects-the-deadline" },
  "mutant-proposes-after-reject": { junction: "protocols.fipa-contract-net.passive", test: "rejection-ends-the-thread" },
  "mutant-accepts-refusal": { junction: "protocols.fipa-contract-net.active", test: "refusal-is-final" },
  "mutant-no-deadline": { junction: "protocols.fipa-contract-net.active", test: "sends-a-cfp" },
  "mutant-stale-profile": { junction: "metadata.passive", test: "answers-the-profile-request" },
};

/**
 * Runs side by side, so that the waiting overlaps (silence windows, a broken agent's missing
 * answers). More than this gains little on two cores, and with every run at once the local dev
 * proxy in front of the runtime starts dropping requests (HTTP 503). Tests keep their own
 * budgets: the reference's results must not depend on how loaded the machine is.
 */
const PARALLEL = 4;

const token = "suite-mutants-token";
let runtime: LocalRuntime;
let all: Mutant[];
const reports = new Map<string, RunReport>();
// Closed only after the runtime stops: closing one mid-run aborts its relay long-poll, after
// which the local dev proxy fails requests of the other runs (HTTP 503, "worker restarted").
const channels: Channel[] = [];

beforeAll(async () => {
  all = await mutants();
  // As `agtest run --agent` starts it: loopback egress allowed to the runtime's own host only.
  runtime = await startRuntime({ port: 0, token, persistTo: false, logLevel: "error", privateEgress: ["127.0.0.1"] });
  const names = ["reference", ...all.map((m) => m.name)];
  // As `agtest run --agent` deploys: egress only to the runtime's own host (the harness's relay URL).
  const manifest = { egress: [new URL(runtime.url).host] };
  await Promise.all(names.map((name) => deployAgent({ url: runtime.url, token, name, bytes: new Uint8Array(readFileSync(`fixtures/agents/${name}.wasm`)), manifest })));
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const channel = await openRuntimeChannel({ url: runtime.url, token, agent: name });
      channels.push(channel);
      reports.set(name, await runSuite(fipa, { channel, backchannel: messageBackchannel(channel) }));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  // About a minute: half of it agact round trips (setup and teardown around 54 tests, 11 agents).
  // The margin is for busy CI runners.
}, 240_000);

afterAll(async () => {
  await runtime?.stop();
  await Promise.all(channels.map((c) => c.close().catch(() => undefined)));
});

/** Junction -> score, and the failing tests, for readable assertion diffs. */
function summary(report: RunReport) {
  return {
    scores: Object.fromEntries(report.junctions.map((j) => [j.junction, j.score])),
    failing: report.results.filter((r) => r.status !== "pass").map((r) => `${r.test}: ${r.failure?.message ?? r.status}`),
  };
}

describe("the fipa suite against the reference agent and its mutants", () => {
  it("every mutant has a fault the suite must catch, and every fault a mutant", () => {
    expect(all.map((m) => m.name).sort()).toEqual(Object.keys(CAUGHT).sort());
  });

  it("the reference is interoperable on every junction of the suite", () => {
    const report = reports.get("reference");
    expect(report).toBeDefined();
    const { scores, failing } = summary(report!);
    expect(failing).toEqual([]);
    expect(scores).toEqual(Object.fromEntries(fipa.junctions.map((j) => [j.id, "interoperable"])));
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
    const answer = (await res.json()) as { performative: string; content: [{ "interop-profile": { test_suite: string; profile: object } }] };
    expect(answer.performative).toBe("inform");
    const claimed = answer.content[0]["interop-profile"];
    const measured = toProfile(reports.get("reference")!);
    expect({ test_suite: claimed.test_suite, profile: claimed.profile }).toEqual({ test_suite: measured.test_suite, profile: measured.profile });
  });

  it.each(Object.entries(CAUGHT))("%s is caught by an essential test of the right junction, and only where its fault is", (name, caught) => {
    const report = reports.get(name);
    expect(report, `no run for ${name}`).toBeDefined();
    const junction = report!.junctions.find((j) => j.junction === caught.junction);
    expect(junction?.score, JSON.stringify(summary(report!), null, 2)).toBe("divergent");
    expect(junction?.essential_failures).toContain(`${caught.junction}.${caught.test}`);
    const reached = [caught.junction, ...(caught.also ?? [])].sort();
    const below = report!.junctions.filter((j) => j.score !== "interoperable").map((j) => j.junction).sort();
    expect(below, JSON.stringify(summary(report!), null, 2)).toEqual(reached);
    // Every junction ran: none was left out (absent would mean divergent without a test failing).
    expect(report!.junctions.map((j) => j.junction)).toEqual(fipa.junctions.map((j) => j.id));
  });
});
