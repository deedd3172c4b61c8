import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api } from "./api.js";

/** A small `agtest pair --json` report: two agents, one protocol, one failing pair. */
const report = {
  report: "urn:agtest:pair:1",
  suite: "urn:agtest:suite:fipa:1.1.0",
  started_at: "2026-12-02T05:00:00.000Z",
  duration_ms: 1234,
  agents: [{ name: "reference" }, { name: "mutant" }],
  protocols: [
    {
      protocol: "fipa-request",
      title: "FIPA Request (SC00026)",
      expect: "request, (agree,) inform",
      cells: [
        {
          initiator: "reference",
          participant: "reference",
          outcome: { verdict: "works", conversation: "c", messages: 3 },
        },
        {
          initiator: "reference",
          participant: "mutant",
          outcome: {
            verdict: "fails",
            rule: "after-done",
            violation: true,
            by: "participant",
            detail: "agree from mutant-p to reference-i: the conversation is already done",
          },
        },
        {
          initiator: "mutant",
          participant: "reference",
          outcome: { verdict: "unsupported", by: "initiator", detail: "127" },
        },
        {
          initiator: "mutant",
          participant: "mutant",
          outcome: { verdict: "unsupported", by: "initiator", detail: "127" },
        },
      ],
      unsupported: [{ agent: "mutant", role: "initiator", why: "agact request: 127" }],
    },
  ],
  oracle: null,
  notes: [],
};

const basic = { authorization: `Basic ${btoa("me:test-token")}` };

describe("/v1/pairs and the pairs pages", () => {
  it("stores a pair report, lists it, serves it, and shows its matrix on /pairs/:id", async () => {
    const res = await api("/v1/pairs", { method: "POST", body: JSON.stringify(report) });
    expect(res.status).toBe(201);
    const stored = (await res.json()) as { id: string; url: string; summary: object };
    expect(stored.summary).toEqual({
      suite: report.suite,
      agents: ["reference", "mutant"],
      works: 1,
      fails: 1,
      unsupported: 2,
    });
    const list = (await (await api("/v1/pairs")).json()) as { pairs: { id: string }[] };
    expect(list.pairs.map((p) => p.id)).toContain(stored.id);
    expect(await (await api(`/v1/pairs/${stored.id}`)).json()).toMatchObject({ id: stored.id, report });
    const page = await SELF.fetch(`http://agtest.test${stored.url}`, { headers: basic });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(
      '<td class="score-divergent" title="agree from mutant-p to reference-i: the conversation is already done">fails: after-done</td>',
    );
    expect(html).toContain("unsupported: mutant as initiator: agact request: 127");
    const index = await (await SELF.fetch("http://agtest.test/pairs", { headers: basic })).text();
    expect(index).toContain(`href="/pairs/${stored.id}"`);
  });

  it("a posted report cannot put markup on the dashboard: names and details are escaped", async () => {
    const hostile = structuredClone(report);
    const [matrix] = hostile.protocols;
    if (!matrix) throw new Error("the report lost its matrix");
    for (const cell of matrix.cells) if (cell.participant === "mutant") cell.participant = "<script>alert(1)</script>";
    const failing = matrix.cells.find((c) => c.outcome.verdict === "fails");
    if (failing) failing.outcome.detail = '"><img src=x onerror=alert(1)>';
    const res = await api("/v1/pairs", { method: "POST", body: JSON.stringify(hostile) });
    expect(res.status).toBe(201);
    const { url } = (await res.json()) as { url: string };
    const html = await (await SELF.fetch(`http://agtest.test${url}`, { headers: basic })).text();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("refuses what is not a pair report, naming the field, and answers an unknown id with 404 (JSON and HTML)", async () => {
    const bad = await api("/v1/pairs", { method: "POST", body: JSON.stringify({ ...report, report: "urn:other" }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: "INVALID_REQUEST", message: expect.stringMatching(/^report:/) },
    });
    expect((await api("/v1/pairs", { method: "POST", body: "{" })).status).toBe(400);
    expect((await api("/v1/pairs/pair-nope")).status).toBe(404);
    const page = await SELF.fetch("http://agtest.test/pairs/pair-nope", { headers: basic });
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect((await SELF.fetch("http://agtest.test/pairs")).status).toBe(401);
  });
});
