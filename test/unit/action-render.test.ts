import { describe, expect, it } from "vitest";
import type { Base } from "../../action/src/base.js";
import { diffProfiles } from "../../harness/core/compare.js";
import { fitLines } from "../../action/src/render/fit.js";
import {
  COMMENT_LIMIT,
  commentBody,
  commentMarker,
  summaryBody,
  type ReportContext,
} from "../../action/src/render/report.js";
import { toProfile, type RunReport } from "../../harness/core/index.js";
import type { InteropProfile } from "../../protocol/index.js";

const report: RunReport = {
  suite: {
    id: "fipa",
    version: "1.1.0",
    uri: "urn:agtest:suite:fipa:1.1.0",
    digest: `sha256-${"0123456789abcdef".repeat(4)}`,
    title: "FIPA",
  },
  subject: { name: "ping", digest: `sha256-${"f".repeat(64)}` },
  channel: "embedded",
  backchannel: "message",
  started_at: "2026-11-21T10:00:00.000Z",
  ms: 2400,
  junctions: [
    { junction: "core.passive", score: "interoperable", passed: 3, total: 3, essential_failures: [] },
    {
      junction: "core.active",
      score: "divergent",
      passed: 0,
      total: 1,
      essential_failures: ["core.active.sends-when-asked"],
    },
  ],
  not_run: [],
  results: [
    { test: "core.passive.answers-a-request", junction: "core.passive", status: "pass", ms: 3.1, essential: true },
    { test: "core.passive.reply-quotes-reply-with", junction: "core.passive", status: "pass", ms: 2, essential: true },
    { test: "core.passive.reply-echoes-protocol", junction: "core.passive", status: "pass", ms: 2.5, essential: false },
    {
      test: "core.active.sends-when-asked",
      junction: "core.active",
      status: "fail",
      ms: 1,
      essential: true,
      failure: { message: "needs action `send`, which the message backchannel does not support (127)" },
    },
  ],
  notes: [],
};
const profile = toProfile(report);
const baseProfile: InteropProfile = {
  test_suite: "urn:agtest:suite:fipa:1.1.0",
  profile: {
    "core.passive": "constrained (2 of 3)",
    "core.active": "interoperable",
    "metadata.passive": "interoperable",
  },
};
const withBase: ReportContext = {
  profile,
  base: { profile: baseProfile, from: "`main` (edge profile store)" },
  diff: diffProfiles(baseProfile, profile),
  runUrl: "https://github.com/agtest-demo/ping-agent/actions/runs/4242",
  sha: "9f8c2d41b7a3e6f05c1d2e3f4a5b6c7d8e9f0a1b",
};
const noBase: ReportContext = {
  profile,
  base: {
    why: "set `edge-url` and `edge-token` (the profile store) or `base-profile` (a previous run's profile.json) to compare",
  } satisfies Base,
  runUrl: withBase.runUrl,
};
const bytes = (s: string) => new TextEncoder().encode(s).byteLength;

describe("the pull request comment and job summary", () => {
  it("comment with a base: badge, regressions and improvements, junction table, link (golden)", async () => {
    await expect(commentBody(report, withBase, commentMarker("fipa"))).toMatchFileSnapshot("golden/action-comment.md");
  });

  it("comment without a base says why (golden)", async () => {
    await expect(commentBody(report, noBase, commentMarker("fipa"))).toMatchFileSnapshot(
      "golden/action-comment-no-base.md",
    );
  });

  it("job summary: the same report without marker and footer (golden)", async () => {
    await expect(summaryBody(report, withBase)).toMatchFileSnapshot("golden/action-summary.md");
  });

  it("the marker is one safe HTML comment whatever the key", () => {
    expect(commentMarker("fipa")).toBe("<!-- agtest:fipa -->");
    expect(commentMarker("x --> <script>")).toBe("<!-- agtest:x_--___script_ -->");
  });

  it("thousands of failures: under 65,536 characters, details trimmed, with the link to the full report", () => {
    const many: RunReport = {
      ...report,
      results: Array.from({ length: 2000 }, (_, i) => ({
        test: `core.passive.t${i}`,
        junction: "core.passive",
        status: "fail" as const,
        ms: 1,
        essential: false,
        failure: { message: "é".repeat(300), received: { content: "ü".repeat(3000) } },
      })),
    };
    const body = commentBody(many, withBase, commentMarker("fipa"));
    expect(bytes(body)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.startsWith("<!-- agtest:fipa -->\n")).toBe(true);
    expect(body).toMatch(/_\d+ more not shown \(comment size limit\)/);
    expect(body).toContain("</details>");
    expect(body).toContain(`[Full report and log](${withBase.runUrl})`);
  });

  it("even a report whose junction table alone is too long is cut on a line, tags closed, with the link", () => {
    const junctions = Array.from({ length: 3000 }, (_, i) => ({
      junction: `cluster${i}.passive`,
      score: "divergent" as const,
      passed: 0,
      total: 40,
      essential_failures: Array.from({ length: 3 }, (_, k) => `cluster${i}.passive.essential-test-${k}`),
    }));
    const huge: RunReport = { ...report, junctions, results: [] };
    const body = commentBody(huge, { ...noBase, profile: toProfile(huge) }, commentMarker("fipa"));
    expect(bytes(body)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body).toContain(
      "_The report was cut to fit a comment; the rest is in the [full report](https://github.com/agtest-demo/ping-agent/actions/runs/4242)._",
    );
    expect(body.trimEnd().endsWith("</sub>")).toBe(true);
  });

  it("fitLines closes an open <details> and code fence it cuts through", () => {
    const lines = ["<details><summary>x</summary>", "```json", "a".repeat(100), "b".repeat(100), "```", "</details>"];
    const fitted = fitLines(lines, 200, ["cut"]);
    expect(fitted.slice(-4)).toEqual(["```", "</details>", "", "cut"]);
    expect(fitLines(lines, 10_000, ["cut"])).toEqual(lines);
  });
});

describe("markers match only as a whole line", () => {
  it("another suite's marker, or the marker inside a line, is not this suite's comment", async () => {
    const { hasMarker } = await import("../../action/src/github/comment.js");
    const marker = commentMarker("fipa");
    expect(hasMarker(`${marker}\n### agtest`, marker)).toBe(true);
    expect(hasMarker(`x\r\n${marker}\r\nbody`, marker)).toBe(true);
    expect(hasMarker(`${commentMarker("fipa-extra")}\nquoting ${marker} inline`, marker)).toBe(false);
    expect(hasMarker(`> ${marker}`, marker)).toBe(false);
  });
});

describe("the gate in the comment", () => {
  it("fail-on regression with known divergences: the regression named, known entries with reasons, removable ones marked (golden)", async () => {
    const { gate } = await import("../../harness/core/compare.js");
    const verdict = gate(report, {
      failOn: "regression",
      base: baseProfile,
      known: { "core.passive.answers-a-request": "was flaky | on CI", "metadata.passive": "not claimed yet" },
    });
    expect(verdict.failures.map((f) => f.junction)).toEqual(["core.active"]);
    await expect(commentBody(report, { ...withBase, gate: verdict }, commentMarker("fipa"))).toMatchFileSnapshot(
      "golden/action-comment-gate.md",
    );
  });
});
