import { describe, expect, it } from "vitest";
import {
  junitReport,
  markdownReport,
  parseProfile,
  profileJson,
  tableReport,
  type RunReport,
} from "../../harness/core/index.js";

const request = {
  performative: "request",
  sender: "agtest",
  receiver: "ping",
  conversation_id: "c-1",
  reply_with: "r-1",
};
const report: RunReport = {
  suite: {
    id: "fipa",
    version: "1.0.0",
    uri: "urn:agtest:suite:fipa:1.0.0",
    digest: `sha256-${"0123456789abcdef".repeat(4)}`,
    title: "FIPA",
  },
  subject: { name: "ping" },
  channel: "embedded",
  backchannel: "message",
  started_at: "2026-11-21T10:00:00.000Z",
  ms: 2400,
  junctions: [
    { junction: "core.passive", score: "constrained (2 of 3)", passed: 2, total: 3, essential_failures: [] },
    {
      junction: "core.active",
      score: "divergent",
      passed: 0,
      total: 1,
      essential_failures: ["core.active.sends-when-asked"],
    },
  ],
  not_run: [{ junction: "metadata.passive", reason: "no backchannel" }],
  results: [
    { test: "core.passive.answers-a-request", junction: "core.passive", status: "pass", ms: 3.1, essential: true },
    { test: "core.passive.reply-quotes-reply-with", junction: "core.passive", status: "pass", ms: 2, essential: true },
    {
      test: "core.passive.reply-echoes-protocol",
      junction: "core.passive",
      status: "fail",
      ms: 2.5,
      essential: false,
      failure: {
        message: "the answer drops or changes the protocol",
        expected: { protocol: "fipa-request" },
        received: { ...request, performative: "inform", sender: "ping", receiver: "agtest" },
      },
    },
    {
      test: "core.active.sends-when-asked",
      junction: "core.active",
      status: "fail",
      ms: 1,
      essential: true,
      failure: { message: 'needs action `send` <&> "unsupported"' },
    },
  ],
  notes: ["the message backchannel does not support `setup`: tests ran without it"],
};

describe("reporters", () => {
  it("table: scores, why each junction falls short, failing tests with expected and received", () => {
    const text = tableReport(report);
    expect(text).toMatch(/core\.passive +constrained \(2 of 3\) +2 of 3 passed/);
    expect(text).toMatch(/metadata\.passive +not run \(absent: divergent\)/);
    expect(text).toContain("core.active is divergent: 1 essential test did not pass: core.active.sends-when-asked");
    expect(text).toContain(
      "core.passive is constrained (2 of 3): every essential test passed; 1 other did not: core.passive.reply-echoes-protocol",
    );
    expect(text).toContain('expected: {"protocol":"fipa-request"}');
    expect(text).toContain('received: {"performative":"inform"');
    expect(text).toContain("metadata.passive: no backchannel");
  });

  it("profile JSON validates", () => {
    expect(() => parseProfile(JSON.parse(profileJson(report)))).not.toThrow();
  });

  it("JUnit XML: a testsuite per junction with its score, escaped failures", () => {
    const xml = junitReport(report);
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="agtest fipa 1.0.0" tests="4" failures="2" errors="0" skipped="0" time="2.400">/,
    );
    expect(xml).toContain('<testsuite name="core.passive" tests="3" failures="1"');
    expect(xml).toContain('<property name="score" value="constrained (2 of 3)"/>');
    expect(xml).toContain(
      '<failure message="needs action `send` &lt;&amp;&gt; &quot;unsupported&quot;" type="fail">essential test</failure>',
    );
    expect(xml.match(/<testcase /g)?.length).toBe(4);
    expect(xml.match(/<testsuite /g)?.length).toBe(xml.match(/<\/testsuite>/g)?.length);
  });

  it("Markdown (the PR comment) matches the golden file", async () => {
    await expect(markdownReport(report)).toMatchFileSnapshot("golden/harness-report.md");
  });

  it("Markdown stays within its byte budget, saying what it left out", () => {
    const many: RunReport = {
      ...report,
      results: Array.from({ length: 400 }, (_, i) => ({
        test: `core.passive.t${i}`,
        junction: "core.passive",
        status: "fail" as const,
        ms: 1,
        essential: false,
        failure: { message: "x".repeat(200), received: { content: "y".repeat(2000) } },
      })),
    };
    const md = markdownReport(many, { maxBytes: 20_000 });
    expect(new TextEncoder().encode(md).byteLength).toBeLessThanOrEqual(20_000);
    expect(md).toMatch(/_\d+ more not shown \(comment size limit\)/);
    expect(md).toContain("</details>");
  });
});
