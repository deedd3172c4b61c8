import { describe, expect, it } from "vitest";
import type { RunReport } from "../../harness/core/index.js";
import { fipa } from "../../suites/fipa/index.js";
import type { LoggedMessage } from "../../worker/conversation/index.js";
import { ConversationSections, isBackchannel } from "../../worker/pages/conversations.js";
import { MatrixPage, matrixSuite } from "../../worker/pages/matrix.js";
import { RunPage, testAnchor } from "../../worker/pages/run.js";
import { compactScore } from "../../worker/pages/score.js";

/** The pages are pure functions of their data (components called as functions, as JSX would), rendered to HTML in workerd. */
function html(node: unknown): string {
  return String(node);
}

function logged(seq: number, message: Record<string, unknown>): LoggedMessage {
  return {
    seq,
    at: "2026-12-01T12:00:00.000Z",
    origin: "agent",
    violation: null,
    message: { performative: "inform", sender: "a", receiver: "b", ...message },
  };
}

describe("dashboard pages", () => {
  it("compact scores: an icon and a short word, N of M for constrained, a dash for no score", () => {
    expect(compactScore("interoperable")).toMatchObject({ icon: "✓", short: "ok", full: "interoperable" });
    expect(compactScore("constrained (3 of 7)")).toMatchObject({
      kind: "constrained",
      short: "3 of 7",
      full: "constrained (3 of 7)",
    });
    expect(compactScore("divergent")).toMatchObject({ icon: "✗", short: "no" });
    expect(compactScore(undefined)).toMatchObject({ kind: "absent", icon: "—", full: "not claimed" });
    // A stored value that is not a score is shown as it is, never as a pass.
    expect(compactScore("bogus")).toMatchObject({ kind: "absent", full: "bogus" });
  });

  it("the matrix groups junctions under their cluster, one column each, with the legend", async () => {
    const suite = matrixSuite(fipa);
    const row = {
      label: "x",
      href: null,
      source: "published",
      stored_at: "2026-12-01T00:00:00Z",
      profile: { test_suite: suite.uri, profile: { "core.passive": "interoperable" } },
    } as const;
    const page = html(MatrixPage({ suites: [suite], suite, rows: [row] }));
    const clusters = [...new Set(fipa.junctions.map((j) => j.cluster))];
    expect([...page.matchAll(/scope="colgroup" colspan="(\d+)"/g)].map((m) => Number(m[1]))).toEqual(
      clusters.map((c) => fipa.junctions.filter((j) => j.cluster === c).length),
    );
    expect([...page.matchAll(/<th scope="col" data-junction="([^"]+)"/g)].map((m) => m[1])).toEqual(
      fipa.junctions.map((j) => j.id),
    );
    expect(page).toContain("What the cells mean");
    // The stylesheet reaches the browser as written: escaped, `section>h2` would be `section&gt;h2`, a rule that matches nothing.
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? "";
    expect(style).toContain("section>h2#legend{");
    expect(style).not.toContain("&gt;");
  });

  it("agact conversations are the backchannel, whichever message carries the ontology", async () => {
    const agact = {
      id: "c-1",
      messages: [
        logged(1, { performative: "request", ontology: "agact", content: { action: "setup", params: ["t1"] } }),
        logged(2, { performative: "agree" }),
      ],
    };
    const real = {
      id: "c-2",
      messages: [logged(1, { performative: "query-ref" }), logged(2, { performative: "inform" })],
    };
    expect(isBackchannel(agact)).toBe(true);
    expect(isBackchannel(real)).toBe(false);
    const page = html(ConversationSections({ conversations: [agact, real] }));
    const [conversations, backchannel] = page.split('data-section="backchannel"');
    expect(conversations).toContain("c-2");
    expect(conversations).not.toContain("c-1");
    expect(backchannel).toContain('data-conversation="c-1"');
    expect(backchannel).toContain("setup t1");
    expect(backchannel).toContain("agree");
  });

  it("the run page lists what did not pass first, linked to rows that come first too", async () => {
    const result = (test: string, status: "pass" | "fail" | "error" | "skip") => ({
      test,
      junction: "core.passive",
      status,
      ms: 1,
      essential: false,
      ...(status === "fail" ? { failure: { message: `${test} broke` } } : {}),
    });
    const report: RunReport = {
      suite: { id: "fipa", version: "1", uri: "urn:x", digest: "d", title: "t" },
      subject: { name: "a" },
      channel: "embedded",
      backchannel: "message",
      started_at: "2026-12-01T00:00:00Z",
      ms: 5,
      junctions: [],
      not_run: [{ junction: "transports.http.passive", reason: "no URL" }],
      results: [
        result("t.a", "pass"),
        result("t.b", "fail"),
        result("t.c", "skip"),
        result("t.d", "error"),
        result("t.e", "fail"),
      ],
      notes: [],
    };
    const page = html(RunPage({ id: "run-1", agent: "a", report }));
    expect([...page.matchAll(/<li><a href="#([^"]+)"/g)].map((m) => m[1])).toEqual(
      ["t.b", "t.d", "t.e"].map(testAnchor),
    );
    expect([...page.matchAll(/<tr id="([^"]+)" data-status="(\w+)"/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      "test-t.b fail",
      "test-t.e fail",
      "test-t.d error",
      "test-t.c skip",
      "test-t.a pass",
    ]);
    expect(page).toContain("transports.http.passive did not run: no URL");
    expect(testAnchor("a b/c")).toBe("test-a-b-c");
  });
});
