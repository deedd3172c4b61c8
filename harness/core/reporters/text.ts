import type { RunReport, TestResult } from "../report.js";

/** A value as one line of text: strings as they are, anything else as compact JSON, cut at `max`. */
export function oneLine(value: unknown, max = 400): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  const flat = text.replace(/\s*\n\s*/g, " ");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The tests that did not pass, in run order (those the selection left out are listed apart). */
export function notPassed(report: RunReport): TestResult[] {
  return report.results.filter((r) => r.status !== "pass" && r.skipped_by === undefined);
}

/**
 * Why a junction got less than `interoperable`, in one sentence: the essential tests that did
 * not pass (divergent), or that only non-essential ones failed (constrained).
 */
export function whyOf(report: RunReport, junction: string): string | undefined {
  const j = report.junctions.find((x) => x.junction === junction);
  if (j === undefined || j.score === "interoperable") return undefined;
  if (j.score === "divergent") {
    const n = j.essential_failures.length;
    return `${n} essential test${n === 1 ? "" : "s"} did not pass: ${j.essential_failures.join(", ")}`;
  }
  const others = report.results.filter((r) => r.junction === junction && r.status !== "pass").map((r) => r.test);
  return `every essential test passed; ${others.length} other${others.length === 1 ? "" : "s"} did not: ${others.join(", ")}`;
}

/** The tests the run's selection left out (`--skip`, `--tests`), each with what left it out and why. */
export function deselected(report: RunReport): TestResult[] {
  return report.results.filter((r) => r.skipped_by !== undefined);
}

/** `1.2 s` or `340 ms`. */
export function duration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
