import type { RunReport, TestResult } from "../report.js";
import { deselected, duration, notPassed, whyOf } from "./text.js";

/** Options of {@link markdownReport}. */
export type MarkdownOptions = {
  /** Upper bound of the output in UTF-8 bytes (GitHub comments take 65,536 characters). */
  maxBytes?: number;
  /** Lines between the heading and the junction table (the action's badge and base comparison). */
  preface?: readonly string[];
};

const ICON: Record<string, string> = { interoperable: "✅", divergent: "❌" };

/**
 * The report as GitHub-flavoured Markdown (the action's pull request comment): the junction
 * table, the why of every junction short of interoperable, and the failing tests folded in a
 * `<details>`. Built as lines and trimmed to `maxBytes` by dropping failure details from the end
 * with a note saying so; it never fails on size.
 */
export function markdownReport(report: RunReport, options: MarkdownOptions = {}): string {
  const { maxBytes = 60_000, preface = [] } = options;
  const { suite, subject } = report;
  const head: string[] = [
    `### agtest · \`${suite.id}\` ${suite.version} · ${cell(subject.name)}`,
    "",
    ...(preface.length > 0 ? [...preface, ""] : []),
    "| junction | score | tests |",
    "|---|---|---|",
    ...report.junctions.map(
      (j) => `| \`${j.junction}\` | ${ICON[j.score] ?? "⚠️"} ${j.score} | ${j.passed} of ${j.total} |`,
    ),
    ...report.not_run.map((n) => `| \`${n.junction}\` | ➖ not run | ${cell(n.reason)} |`),
    "",
  ];
  const why = report.junctions.flatMap((j) => {
    const reason = whyOf(report, j.junction);
    return reason
      ? [`- **\`${j.junction}\`** is ${j.score}: ${reason.replace(/([a-z0-9-]+(?:\.[a-z0-9-]+){2,})/g, "`$1`")}`]
      : [];
  });
  if (why.length > 0) head.push("**Why**", "", ...why, "");
  const left = deselected(report);
  if (left.length > 0)
    head.push(
      "**Skipped** (known divergences: they do not fail the run)",
      "",
      ...left.map(
        (r) =>
          `- \`${r.test}\`${r.essential ? " (essential)" : ""}: ${cell(r.failure?.message ?? "")} (${cell(r.skipped_by ?? "")})`,
      ),
      "",
    );
  const tail = [
    `<sub>${report.results.length} tests in ${duration(report.ms)} · ${report.channel} channel · ${report.backchannel} backchannel · \`${suite.uri}\` · \`${suite.digest.slice(0, 19)}…\`</sub>`,
    "",
  ];
  const failing = notPassed(report);
  const blocks = failing.map(detail);
  const budget = maxBytes - bytes([...head, ...tail].join("\n")) - 200;
  const kept: string[][] = [];
  let used = 0;
  for (const block of blocks) {
    const size = bytes(block.join("\n")) + 1;
    if (used + size > budget) break;
    kept.push(block);
    used += size;
  }
  const body: string[] = [];
  if (failing.length > 0) {
    body.push(
      `<details><summary>${failing.length} test${failing.length === 1 ? "" : "s"} did not pass</summary>`,
      "",
      ...kept.flat(),
    );
    if (kept.length < blocks.length)
      body.push(
        `_${blocks.length - kept.length} more not shown (comment size limit); see the profile or JUnit report._`,
        "",
      );
    body.push("</details>", "");
  }
  return [...head, ...body, ...tail].join("\n");
}

function detail(r: TestResult): string[] {
  const lines = [
    `**${r.status}** \`${r.test}\`${r.essential ? " (essential)" : ""}: ${cell(r.failure?.message ?? "")}`,
    "",
  ];
  const shown: Record<string, unknown> = {};
  if (r.failure?.expected !== undefined) shown.expected = r.failure.expected;
  if (r.failure?.received !== undefined) shown.received = r.failure.received;
  if (Object.keys(shown).length > 0)
    lines.push("```json", clip(JSON.stringify(shown, null, 2), 4_000).replace(/```/g, "`\u200b``"), "```", "");
  return lines;
}

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r?\n/g, " ");
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}\n… (cut)` : s;
}

function bytes(s: string): number {
  return new TextEncoder().encode(s).byteLength;
}
