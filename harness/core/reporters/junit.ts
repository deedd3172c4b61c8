import type { RunReport, TestResult } from "../report.js";
import { oneLine } from "./text.js";

/**
 * JUnit XML for CI tools that read test reports: one `<testsuite>` per junction (its score as a
 * property), one `<testcase>` per test; `fail` -> `<failure>`, `error` -> `<error>`,
 * `skip` -> `<skipped>`; the agent's log lines during a test that did not pass in `<system-out>`.
 */
export function junitReport(report: RunReport): string {
  const count = (rs: TestResult[], status: TestResult["status"]) => rs.filter((r) => r.status === status).length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const all = report.results;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`agtest ${report.suite.id} ${report.suite.version}`)}" tests="${all.length}" failures="${count(all, "fail")}" errors="${count(all, "error")}" skipped="${count(all, "skip")}" time="${seconds(report.ms)}">`,
  ];
  for (const j of report.junctions) {
    const rs = all.filter((r) => r.junction === j.junction);
    const ms = rs.reduce((sum, r) => sum + r.ms, 0);
    out.push(
      `  <testsuite name="${attr(j.junction)}" tests="${rs.length}" failures="${count(rs, "fail")}" errors="${count(rs, "error")}" skipped="${count(rs, "skip")}" time="${seconds(ms)}" timestamp="${attr(report.started_at)}">`,
    );
    out.push("    <properties>");
    out.push(`      <property name="score" value="${attr(j.score)}"/>`);
    out.push(`      <property name="suite" value="${attr(report.suite.uri)}"/>`);
    out.push(`      <property name="subject" value="${attr(report.subject.name)}"/>`);
    out.push("    </properties>");
    for (const r of rs) out.push(...testcase(r));
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;

  function testcase(r: TestResult): string[] {
    const open = `    <testcase name="${attr(r.test)}" classname="${attr(r.junction)}" time="${seconds(r.ms)}"`;
    if (r.status === "pass") return [`${open}/>`];
    const tag = r.status === "fail" ? "failure" : r.status === "error" ? "error" : "skipped";
    const message = r.failure?.message ?? r.status;
    const body = [
      r.essential ? "essential test" : "",
      r.skipped_by !== undefined ? `left out by ${r.skipped_by}` : "",
      r.failure?.expected !== undefined ? `expected: ${oneLine(r.failure.expected, 4000)}` : "",
      r.failure?.received !== undefined ? `received: ${oneLine(r.failure.received, 4000)}` : "",
    ].filter((line) => line !== "");
    return [
      `${open}>`,
      `      <${tag} message="${attr(message)}" type="${r.status}">${text(body.join("\n"))}</${tag}>`,
      // The agent's own log during the test, where JUnit consumers show a test's output.
      ...(r.agent_log ? [`      <system-out>${text(r.agent_log.join("\n"))}</system-out>`] : []),
      "    </testcase>",
    ];
  }
}

// XML 1.0 allows only these characters; anything else (NUL, most C0 controls) is dropped.
const INVALID = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

function text(s: string): string {
  return s.replace(INVALID, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function attr(s: string): string {
  return text(s).replace(/"/g, "&quot;").replace(/\n/g, "&#10;");
}
