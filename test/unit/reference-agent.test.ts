import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { faultSource, mutants } from "../../fixtures/mutants.js";
import { fipa } from "../../suites/fipa/index.js";
import { recordingAgent } from "./helpers/run.js";

// The reference agent (fixtures/agents/reference.wasm) in plain Node, with the stub host of
// helpers/wat.ts: `now` is 1_700_000_000_000 (2023-11-14T22:13:20.000Z), `random` fills 4s.
// The fipa suite itself runs against it in test/system/suite-mutants.test.ts; these pin the
// pieces that the suite cannot reach from outside, such as how `reply_by` is read.
const agent = () => recordingAgent(new Uint8Array(readFileSync("fixtures/agents/reference.wasm")));

type Sent = Record<string, unknown>;
const feed = (a: ReturnType<typeof agent>, message: Record<string, unknown>): Sent[] => {
  const { code, sends } = a.feed(
    JSON.stringify({ sender: "h", receiver: "reference", conversation_id: "c-1", reply_with: "r-1", ...message }),
  );
  expect(code).toEqual({ value: 0 });
  return sends.map((s) => JSON.parse(s) as Sent);
};
const cfp = (replyBy: string) => ({
  performative: "cfp",
  protocol: "fipa-contract-net",
  ontology: "agtest-fipa",
  content: { product: "p" },
  reply_by: replyBy,
});

describe("the reference agent", () => {
  it.each([
    ["2023-11-14T22:13:20.001Z", "propose"],
    ["2023-11-14T22:13:20.5Z", "propose"],
    ["2023-11-15T00:13:21+02:00", "propose"],
    ["2023-11-14T21:13:21-01:00", "propose"],
    ["2023-11-14T22:13:20Z", "propose"], // at the deadline is still in time (protocol/protocols/expire.ts)
    ["2023-11-14T22:13:19.999Z", "silence"],
    ["2023-11-15T00:13:19+02:00", "silence"],
    ["2023-11-14", "not-understood"],
    ["2023-11-14T22:13:21", "not-understood"],
    ["2023-13-14T22:13:21Z", "not-understood"],
  ])("reads a cfp's reply_by %s (now is 2023-11-14T22:13:20.000Z): %s", (replyBy, expected) => {
    const sent = feed(agent(), cfp(replyBy));
    expect(sent[0]?.performative ?? "silence").toBe(expected);
  });

  it("answers the agent-metadata request with one entry per suite asked, its profile for the suite it knows", () => {
    const [inform] = feed(agent(), {
      performative: "query-ref",
      protocol: "fipa-query",
      ontology: "agent-metadata",
      language: "application/json",
      content: { what: [{ "interop-profile": fipa.uri }, { "interop-profile": "urn:other" }, { other: 1 }] },
    });
    expect(inform).toMatchObject({
      performative: "inform",
      ontology: "agent-metadata",
      in_reply_to: "r-1",
      conversation_id: "c-1",
    });
    const [mine, other, odd] = inform!.content as {
      "interop-profile": { test_suite: string; profile: Record<string, string> } | null;
    }[];
    expect(mine?.["interop-profile"]?.test_suite).toBe(fipa.uri);
    expect(Object.keys(mine?.["interop-profile"]?.profile ?? {})).toEqual(fipa.junctions.map((j) => j.id));
    expect([other, odd]).toEqual([{ "interop-profile": null }, { "interop-profile": null }]);
  });

  it("acts when asked through agact: agree, then the first message of a new conversation", () => {
    const a = agent();
    const act = (action: string, ...params: string[]) =>
      feed(a, {
        performative: "request",
        protocol: "fipa-request",
        ontology: "agact",
        language: "application/json",
        content: { action, params },
      });
    const [agree, cfpSent] = act("cfp", "h,other", "widget", "1500");
    expect(agree).toMatchObject({ performative: "agree", in_reply_to: "r-1" });
    expect(cfpSent).toMatchObject({
      performative: "cfp",
      sender: "reference",
      receiver: ["h", "other"],
      protocol: "fipa-contract-net",
      content: { product: "widget" },
      reply_by: "2023-11-14T22:13:21.500Z",
      conversation_id: "c-reference-0404040404040404",
      reply_with: "c-reference-0404040404040404/1",
    });
    expect(act("query-profile", "h", fipa.uri)[1]).toMatchObject({
      performative: "query-ref",
      ontology: "agent-metadata",
      content: { what: [{ "interop-profile": fipa.uri }] },
    });
    // The optional ONTOLOGY (agtest pair): the request names it, and JSON object content goes as JSON.
    expect(act("request", "h", '{"do":"echo","text":"x"}', "agtest-fipa")[1]).toMatchObject({
      performative: "request",
      protocol: "fipa-request",
      ontology: "agtest-fipa",
      language: "application/json",
      content: { do: "echo", text: "x" },
    });
    expect(act("query-ref", "h", "plain words", "agtest-fipa")[1]).toMatchObject({
      performative: "query-ref",
      ontology: "agtest-fipa",
      content: "plain words",
    });
    expect(act("request", "h", "text")[1]).not.toHaveProperty("ontology");
    expect(act("dance")).toEqual([expect.objectContaining({ performative: "refuse" })]);
    expect(act("request", "h")).toEqual([expect.objectContaining({ performative: "refuse" })]);
  });

  it("says not-understood to a content language it cannot read, and never answers a not-understood or a stray failure", () => {
    const a = agent();
    expect(feed(a, { performative: "request", language: "fipa-sl", content: "(x)" })).toEqual([
      expect.objectContaining({ performative: "not-understood", content: expect.stringContaining("fipa-sl") }),
    ]);
    expect(feed(a, { performative: "not-understood", content: "?" })).toEqual([]);
    expect(feed(a, { performative: "failure", content: "bounced" })).toEqual([]);
  });
});

describe("the mutants", () => {
  it("are one per Fault member but None, named after it, each built and unlike the reference", async () => {
    const all = await mutants();
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect(all[0]).toEqual({
      name: "mutant-wrong-conversation-id",
      member: "WrongConversationId",
      fault: "Every answer carries a new conversation_id instead of the request's.",
    });
    const reference = readFileSync("fixtures/agents/reference.wasm");
    for (const m of all) {
      expect(m.name).toMatch(/^mutant-[a-z]+(-[a-z]+)*$/);
      expect(readFileSync(`fixtures/agents/${m.name}.wasm`).equals(reference), m.name).toBe(false);
    }
  });

  it("are compiled with fault.ts switched to their member", async () => {
    expect(await faultSource("LateProposal")).toContain("export const FAULT: Fault = Fault.LateProposal;");
  });
});
