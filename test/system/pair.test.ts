import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Exchange, PairReport, ProtocolMatrix } from "../../harness/core/pair/index.js";
import { mutants } from "../../fixtures/mutants.js";
import { type LocalRuntime, startRuntime } from "../../worker/local/runtime.js";
import { agtest, type CliRun } from "./helpers/agtest-cli.js";

/**
 * Issue 16, item 4: `agtest pair` over the reference agent, the negotiation fixtures and two
 * mutants, through the real CLI (the package's bin) and the embedded runtime. The reference works
 * with itself in every protocol; each mutant's faulty role fails against its partners, naming the
 * protocol rule its fault breaks, and works where its fault does not reach; agents without agact
 * (buyer, mediator, seller) are unsupported initiators, not failures.
 */
const AGENTS = [
  "reference",
  "buyer",
  "mediator",
  "seller",
  "mutant-inform-before-agree",
  "mutant-proposes-after-reject",
];

let dir: string;
let run: CliRun;
let report: PairReport;
/** A second runtime, the dashboard the report is posted to (`--post`). */
let dashboard: LocalRuntime;

beforeAll(async () => {
  const known = (await mutants()).map((m) => m.name);
  // The mutants this test names must be ones fixtures/mutants.ts lists (and build.ts builds).
  expect(known).toEqual(expect.arrayContaining(AGENTS.filter((a) => a.startsWith("mutant-"))));
  dir = await mkdtemp(join(tmpdir(), "agtest-pair-"));
  const out = join(dir, "pair.json");
  dashboard = await startRuntime({ port: 0, token: "pair-test-token", persistTo: false, logLevel: "error" });
  run = await agtest(
    "pair",
    ...AGENTS.map((a) => `fixtures/agents/${a}.wasm`),
    "--out",
    out,
    "--post",
    dashboard.url,
    "--token",
    "pair-test-token",
  );
  report = JSON.parse(await readFile(out, "utf8")) as PairReport;
}, 300_000);

afterAll(async () => {
  await dashboard?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function matrix(protocol: string): ProtocolMatrix {
  const found = report.protocols.find((m) => m.protocol === protocol);
  if (!found) throw new Error(`no ${protocol} matrix in ${report.protocols.map((m) => m.protocol).join(", ")}`);
  return found;
}

function cell(protocol: string, initiator: string, participant: string): Exchange {
  const found = matrix(protocol).cells.find((c) => c.initiator === initiator && c.participant === participant);
  if (!found) throw new Error(`no cell ${initiator} -> ${participant} in ${protocol}`);
  return found.outcome;
}

describe("agtest pair (system)", () => {
  it("exits 1 (some pair fails) and prints a table per protocol", () => {
    expect(run.code, run.err).toBe(1);
    for (const protocol of ["fipa-request", "fipa-query", "fipa-contract-net"]) expect(run.out).toContain(protocol);
    expect(run.out).toMatch(/^reference\s+works\s/m);
    expect(run.out).toContain("fails: after-done");
    expect(report.agents.map((a) => a.name)).toEqual(AGENTS);
    // Every ordered pair, an agent with itself included, in every protocol.
    for (const m of report.protocols) expect(m.cells).toHaveLength(AGENTS.length ** 2);
  });

  it("--post stores the report on the runtime, and its dashboard shows the matrix with the rule broken", async () => {
    const stored = /stored at (\S+)/.exec(run.err)?.[1];
    expect(stored, run.err).toMatch(new RegExp(`^${dashboard.url}/pairs/pair-`));
    const page = await fetch(stored as string, { headers: { authorization: `Basic ${btoa("me:pair-test-token")}` } });
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const protocol of ["fipa-request", "fipa-query", "fipa-contract-net"])
      expect(html).toMatch(new RegExp(`<h2 id="pair-\\d+-title">${protocol}: `));
    expect(html).toMatch(
      /<td class="score-divergent" title="agree from mutant-inform-before-agree-p[^"]*">fails: after-done<\/td>/,
    );
    expect(html).toMatch(
      /<td class="score-divergent" title="propose from mutant-proposes-after-reject-[pq][^"]*">fails: after-done<\/td>/,
    );
  });

  it("the reference works with itself in every protocol, and as a contract-net initiator with the seller", () => {
    for (const protocol of ["fipa-request", "fipa-query", "fipa-contract-net"])
      expect(cell(protocol, "reference", "reference")).toMatchObject({ verdict: "works" });
    expect(cell("fipa-contract-net", "reference", "seller")).toMatchObject({ verdict: "works" });
  });

  it("mutant-inform-before-agree fails every fipa-request it answers, at rule after-done", () => {
    for (const initiator of ["reference", "mutant-inform-before-agree", "mutant-proposes-after-reject"]) {
      const outcome = cell("fipa-request", initiator, "mutant-inform-before-agree");
      expect(outcome).toMatchObject({ verdict: "fails", rule: "after-done", violation: true, by: "participant" });
      if (outcome.verdict === "fails") expect(outcome.detail).toMatch(/^agree from mutant-inform-before-agree-p/);
    }
    // Breaking a rule is playing the role badly, not lacking it: never marked unsupported.
    expect(matrix("fipa-request").unsupported).not.toContainEqual(
      expect.objectContaining({ agent: "mutant-inform-before-agree", role: "participant" }),
    );
    // Where its fault does not reach, it works.
    expect(cell("fipa-request", "mutant-inform-before-agree", "reference")).toMatchObject({ verdict: "works" });
    expect(cell("fipa-contract-net", "reference", "mutant-inform-before-agree")).toMatchObject({ verdict: "works" });
  });

  it("mutant-proposes-after-reject fails every contract net it takes part in, at rule after-done", () => {
    for (const initiator of ["reference", "mutant-inform-before-agree", "mutant-proposes-after-reject"]) {
      const outcome = cell("fipa-contract-net", initiator, "mutant-proposes-after-reject");
      expect(outcome).toMatchObject({ verdict: "fails", rule: "after-done", violation: true, by: "participant" });
      if (outcome.verdict === "fails")
        expect(outcome.detail).toMatch(/^propose from mutant-proposes-after-reject-[pq]/);
    }
    expect(cell("fipa-contract-net", "mutant-proposes-after-reject", "seller")).toMatchObject({ verdict: "works" });
    expect(cell("fipa-request", "reference", "mutant-proposes-after-reject")).toMatchObject({ verdict: "works" });
  });

  it("agents without agact are unsupported initiators, and roles they never play are unsupported, not failures", () => {
    for (const m of report.protocols)
      for (const agent of ["buyer", "mediator", "seller"]) {
        expect(m.unsupported).toContainEqual(expect.objectContaining({ agent, role: "initiator" }));
        for (const participant of AGENTS) expect(cell(m.protocol, agent, participant).verdict).toBe("unsupported");
      }
    // The seller answers a cfp and nothing else: a fipa-request participant it is not.
    expect(matrix("fipa-request").unsupported).toContainEqual(
      expect.objectContaining({ agent: "seller", role: "participant" }),
    );
    expect(cell("fipa-request", "reference", "seller")).toMatchObject({ verdict: "unsupported", by: "participant" });
    // Only the mutants' faults fail: every failing cell is one of theirs, as a participant.
    const failing = report.protocols.flatMap((m) => m.cells.filter((c) => c.outcome.verdict === "fails"));
    expect(failing.length).toBeGreaterThan(0);
    for (const c of failing) expect(c.participant).toMatch(/^mutant-/);
  });
});

describe("agtest pair: an answer in another conversation", () => {
  it("mutant-wrong-conversation-id's answers are found where they went, and named wrong-conversation", async () => {
    const run = await agtest(
      "pair",
      "fixtures/agents/reference.wasm",
      "fixtures/agents/mutant-wrong-conversation-id.wasm",
      "--protocols",
      "fipa-request",
      "--json",
    );
    expect(run.code, run.err).toBe(1);
    const report = JSON.parse(run.out) as PairReport;
    const [request] = report.protocols;
    expect(report.protocols.map((m) => m.protocol)).toEqual(["fipa-request"]);
    const outcome = request?.cells.find(
      (c) => c.initiator === "reference" && c.participant === "mutant-wrong-conversation-id",
    )?.outcome;
    expect(outcome).toMatchObject({ verdict: "fails", rule: "wrong-conversation", violation: true, by: "participant" });
    if (outcome?.verdict === "fails")
      expect(outcome.detail).toMatch(
        /^(agree|inform) from mutant-wrong-conversation-id-p answers the opening message in conversation "c-other-/,
      );
    expect(
      request?.cells.find((c) => c.participant === "reference" && c.initiator === "reference")?.outcome.verdict,
    ).toBe("works");
  }, 120_000);
});
