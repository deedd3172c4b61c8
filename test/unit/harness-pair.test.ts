import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type Exchange,
  judgeExchange,
  type LoggedMessage,
  oracleGaps,
  type PairCell,
  pairTable,
  protocolMatrix,
} from "../../harness/core/pair/index.js";
import { main } from "../../harness/node/cli.js";
import { FIPA_PAIRS } from "../../suites/fipa/pairs.js";

const [request, , contractNet] = FIPA_PAIRS;
if (!request || !contractNet) throw new Error("FIPA_PAIRS lost a scenario");

let seq = 0;
const at = "2026-12-02T05:00:00.000Z";
/** A logged message of conversation c-1. */
function logged(performative: string, sender: string, receiver: string | string[], extra: object = {}): LoggedMessage {
  return {
    seq: ++seq,
    at,
    message: { performative, sender, receiver, conversation_id: "c-1", ...extra } as LoggedMessage["message"],
  };
}
const req = logged("request", "a-i", "b-p", { protocol: "fipa-request" });

describe("judgeExchange", () => {
  const cast = { initiator: "a-i", participants: ["b-p"] };
  it("works when the thread ends as the scenario hopes", () => {
    const log = [req, logged("agree", "b-p", "a-i"), logged("inform", "b-p", "a-i")];
    expect(judgeExchange(request, cast, "c-1", log)).toEqual({ verdict: "works", conversation: "c-1", messages: 3 });
  });
  it("names the protocol rule a message breaks, and the side that broke it", () => {
    const log = [req, logged("inform", "b-p", "a-i"), logged("agree", "b-p", "a-i")];
    expect(judgeExchange(request, cast, "c-1", log)).toMatchObject({
      verdict: "fails",
      rule: "after-done",
      violation: true,
      by: "participant",
      detail: expect.stringMatching(/^agree from b-p to a-i: the conversation is already done/),
    });
    const wrongWay = [req, logged("request", "b-p", "a-i")];
    expect(judgeExchange(request, cast, "c-1", wrongWay)).toMatchObject({ rule: "wrong-direction", by: "participant" });
  });
  it("tells an ending that breaks no rule from a violation, and who owes the next message", () => {
    expect(judgeExchange(request, cast, "c-1", [req, logged("not-understood", "b-p", "a-i")])).toMatchObject({
      verdict: "fails",
      rule: "not-understood",
      violation: false,
      by: "participant",
    });
    expect(judgeExchange(request, cast, "c-1", [req, logged("agree", "b-p", "a-i")])).toMatchObject({
      rule: "unfinished",
      by: "participant",
    });
    const cfp = logged("cfp", "a-i", ["b-p", "b-q"], {
      protocol: "fipa-contract-net",
      reply_by: "2026-12-02T06:00:00.000Z",
    });
    const two = { initiator: "a-i", participants: ["b-p", "b-q"] };
    const proposed = [cfp, logged("propose", "b-p", "a-i"), logged("propose", "b-q", "a-i")];
    expect(judgeExchange(contractNet, two, "c-1", proposed)).toMatchObject({ rule: "unfinished", by: "initiator" });
    const done = [...proposed, logged("accept-proposal", "a-i", "b-p"), logged("reject-proposal", "a-i", "b-q")];
    expect(judgeExchange(contractNet, two, "c-1", [...done, logged("inform", "b-p", "a-i")])).toMatchObject({
      verdict: "works",
    });
    expect(
      judgeExchange(contractNet, two, "c-1", [
        ...done,
        logged("inform", "b-p", "a-i"),
        logged("propose", "b-q", "a-i"),
      ]),
    ).toMatchObject({ rule: "after-done", by: "participant" });
  });
  it("an opening to someone else, or of another protocol, is the initiator's fault", () => {
    const other = logged("request", "a-i", "z", { protocol: "fipa-request" });
    expect(judgeExchange(request, cast, "c-1", [other])).toMatchObject({ rule: "wrong-receivers", by: "initiator" });
    const query = logged("query-ref", "a-i", "b-p", { protocol: "fipa-query" });
    expect(judgeExchange(request, cast, "c-1", [query])).toMatchObject({ rule: "wrong-conversation", by: "initiator" });
  });
});

const works: Exchange = { verdict: "works", conversation: "c", messages: 3 };
const quiet: Exchange = { verdict: "fails", rule: "not-understood", violation: false, by: "participant", detail: "d" };
const broken: Exchange = { verdict: "fails", rule: "after-done", violation: true, by: "participant", detail: "d" };
const no127: Exchange = { verdict: "unsupported", by: "initiator", detail: "agact request: 127" };

describe("protocolMatrix (QUIC interop runner style)", () => {
  const cells = (rows: Record<string, Record<string, Exchange>>): PairCell[] =>
    Object.entries(rows).flatMap(([initiator, row]) =>
      Object.entries(row).map(([participant, outcome]) => ({ initiator, participant, outcome })),
    );
  it("a role that fails everywhere without breaking a rule is unsupported; one that breaks a rule stays failing", () => {
    const m = protocolMatrix(
      request,
      cells({
        ref: { ref: works, seller: quiet, mutant: broken },
        mutant: { ref: works, seller: quiet, mutant: broken },
        seller: { ref: no127, seller: no127, mutant: no127 },
      }),
    );
    expect(m.unsupported.map((u) => `${u.agent}/${u.role}`).sort()).toEqual(["seller/initiator", "seller/participant"]);
    const outcome = (i: string, p: string) => m.cells.find((c) => c.initiator === i && c.participant === p)?.outcome;
    expect(outcome("ref", "seller")).toMatchObject({ verdict: "unsupported", by: "participant" });
    expect(outcome("ref", "mutant")).toEqual(broken);
    expect(outcome("ref", "ref")).toEqual(works);
  });
  it("a role that works with one partner is supported: its other failures stay failures", () => {
    const m = protocolMatrix(
      request,
      cells({ ref: { ref: works, picky: quiet }, picky: { ref: works, picky: works } }),
    );
    expect(m.unsupported).toEqual([]);
    expect(m.cells.find((c) => c.participant === "picky" && c.initiator === "ref")?.outcome).toEqual(quiet);
  });
});

describe("oracleGaps (issue 16, item 5)", () => {
  const profile = (scores: Record<string, string>) => ({ test_suite: "urn:agtest:suite:fipa:1.1.0", profile: scores });
  const m = protocolMatrix(request, [
    { initiator: "a", participant: "b", outcome: broken },
    { initiator: "b", participant: "a", outcome: broken },
  ]);
  it("reports a failing pair only when both roles score interoperable", () => {
    const profiles = new Map([
      [
        "a",
        profile({ "protocols.fipa-request.active": "interoperable", "protocols.fipa-request.passive": "divergent" }),
      ],
      [
        "b",
        profile({
          "protocols.fipa-request.passive": "interoperable",
          "protocols.fipa-request.active": "interoperable",
        }),
      ],
    ]);
    const gaps = oracleGaps(request, m, profiles);
    expect(gaps).toEqual([
      expect.objectContaining({
        initiator: "a",
        participant: "b",
        rule: "after-done",
        note: expect.stringMatching(/suite misses/),
      }),
    ]);
    const table = pairTable({
      report: "urn:agtest:pair:1",
      suite: "urn:agtest:suite:fipa:1.1.0",
      started_at: at,
      duration_ms: 1,
      agents: [{ name: "a" }, { name: "b" }],
      protocols: [m],
      oracle: { profiles: ["a.json", "b.json"], gaps },
      notes: [],
    });
    expect(table).toContain("oracle (2 profile(s)): 1 gap(s)");
    expect(table).toContain("a -> b: after-done (participant)");
  });
});

describe("agtest pair: usage errors (exit 2, before any runtime starts)", () => {
  const cli = async (...argv: string[]) => {
    let out = "";
    let err = "";
    const code = await main(["pair", ...argv], {
      out: (t) => void (out += t),
      err: (t) => void (err += t),
      progress: process.stderr,
    });
    return { code, out, err };
  };
  it.each([
    [["fixtures/agents/reference.wasm"], /at least two agents/],
    [["a.wasm", "b.wasm", "--protocols", "fipa-requets"], /unknown protocol "fipa-requets".*fipa-request/],
    [["nope.wasm", "fixtures/agents/reference.wasm"], /agent 1 \(nope\.wasm\): cannot read nope\.wasm \(ENOENT\)/],
    [["fixtures/agents/reference.wasm", "fixtures/agents/reference.wasm"], /two agents are named "reference"/],
    [["a.wasm", "b.wasm", "--timeout", "soon"], /--timeout: expected a whole number/],
    [["a.wasm", "b.wasm", "--suite", "nope"], /--suite: unknown suite "nope"/],
    [["a.wasm", "b.wasm", "--frobnicate"], /unknown option --frobnicate/],
  ])("%j", async (argv, message) => {
    const { code, err } = await cli(...argv);
    expect(err).toMatch(message);
    expect(code).toBe(2);
  });
  const dir = mkdtempSync(join(tmpdir(), "agtest-pair-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = (name: string, value: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
    return file;
  };
  it.each([
    [
      "typo.json",
      { agents: ["a.wasm", "b.wasm"], protocol: ["fipa-query"] },
      /config\.protocol: unknown key \(did you mean protocols\?\)/,
    ],
    ["shape.json", { agents: "a.wasm" }, /config\.agents: expected an array/],
    ["entry.json", { agents: ["a.wasm", { name: "b" }] }, /config\.agents\[1\]: expected a file path or/],
    ["broken.json", "{", /--config: .*broken\.json is not JSON/],
    // Paths are relative to the config file: the missing module is named as resolved there.
    [
      "missing.json",
      { agents: [join(process.cwd(), "fixtures/agents/reference.wasm"), "gone.wasm"] },
      /config\.agents\[1\]: cannot read .*agtest-pair-config-.*gone\.wasm \(ENOENT\)/,
    ],
  ])("config form: %s is refused, naming the key", async (name, value, message) => {
    const { code, err } = await cli("--config", config(name, value));
    expect(err).toMatch(message);
    expect(code).toBe(2);
  });
  it("--help lists the verdicts and the exit codes", async () => {
    const { code, out } = await cli("--help");
    expect(code).toBe(0);
    expect(out).toMatch(/unsupported/);
    expect(out).toMatch(/1 {4}some pair fails/);
  });
});
