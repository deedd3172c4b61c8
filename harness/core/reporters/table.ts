import type { RunReport } from "../report.js";
import { deselected, duration, notPassed, oneLine, whyOf } from "./text.js";

/**
 * The report for people at a terminal: a line about the run, the junctions with their scores,
 * why each one short of interoperable is short, then every test that did not pass with what
 * was expected and what was received.
 */
export function tableReport(report: RunReport): string {
  const { suite, subject } = report;
  const out: string[] = [];
  const total = report.results.length;
  out.push(
    `agtest ${suite.id} ${suite.version} · agent ${subject.name} · ${report.channel} channel, ${report.backchannel} backchannel · ${total} test${total === 1 ? "" : "s"} in ${duration(report.ms)}`,
  );
  out.push("");
  const rows = report.junctions.map((j) => [j.junction, j.score, `${j.passed} of ${j.total} passed`]);
  for (const n of report.not_run) rows.push([n.junction, "not run (absent: divergent)", ""]);
  out.push(...table(["junction", "score", "tests"], rows));
  const why = report.junctions.flatMap((j) => {
    const reason = whyOf(report, j.junction);
    return reason ? [`  ${j.junction} is ${j.score}: ${reason}`] : [];
  });
  if (why.length > 0) out.push("", "Why", ...why);
  if (report.not_run.length > 0) out.push("", "Not run", ...report.not_run.map((n) => `  ${n.junction}: ${n.reason}`));
  const failing = notPassed(report);
  if (failing.length > 0) {
    out.push("", "Tests that did not pass");
    for (const r of failing) {
      out.push(`  ${r.status.toUpperCase().padEnd(5)} ${r.test}${r.essential ? " (essential)" : ""}`);
      if (r.failure) {
        out.push(`        ${oneLine(r.failure.message)}`);
        if (r.failure.expected !== undefined) out.push(`        expected: ${oneLine(r.failure.expected)}`);
        if (r.failure.received !== undefined) out.push(`        received: ${oneLine(r.failure.received)}`);
      }
      if (r.agent_log !== undefined)
        out.push("        the agent's log during the test:", ...r.agent_log.map((l) => `          ${oneLine(l)}`));
    }
  }
  const left = deselected(report);
  if (left.length > 0) {
    out.push("", "Skipped (known divergences: they do not fail the run)");
    for (const r of left)
      out.push(`  ${r.test}${r.essential ? " (essential)" : ""}: ${r.failure?.message ?? ""} [${r.skipped_by}]`);
  }
  const notes = [...report.notes, ...report.results.flatMap((r) => (r.notes ?? []).map((n) => `${r.test}: ${n}`))];
  if (notes.length > 0) out.push("", "Notes", ...notes.map((n) => `  ${n}`));
  return `${out.join("\n")}\n`;
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ")}`.trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}
