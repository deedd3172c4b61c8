import { parseScore, type InteropProfile, type Score } from "../../protocol/index.js";
import type { RunReport } from "./report.js";

/** How one junction moved between the base profile and this run. */
export type ChangeKind = "regressed" | "improved" | "changed";

/** A junction whose score differs from the base; `undefined` = absent (not claimed or not run). */
export type JunctionChange = { junction: string; base: Score | undefined; now: Score | undefined; kind: ChangeKind };

/** Every junction that moved, in junction order, and how many did not. */
export type ProfileDiff = { changes: JunctionChange[]; unchanged: number };

/**
 * Compares this run's profile with the base's. An absent junction counts as divergent (as
 * ARCHITECTURE.md says), so a junction that stopped running regressed unless it already was
 * divergent. Scores order divergent < constrained (by share of tests passed) < interoperable;
 * two constrained scores with the same share but other counts are `changed`.
 */
export function diffProfiles(base: InteropProfile, now: InteropProfile): ProfileDiff {
  const junctions = [...new Set([...Object.keys(base.profile), ...Object.keys(now.profile)])].sort();
  const changes: JunctionChange[] = [];
  let unchanged = 0;
  for (const junction of junctions) {
    const before = base.profile[junction] as Score | undefined;
    const after = now.profile[junction] as Score | undefined;
    const delta = rank(after) - rank(before);
    if (before === after || (delta === 0 && (before ?? "divergent") === (after ?? "divergent"))) {
      unchanged++;
      continue;
    }
    changes.push({
      junction,
      base: before,
      now: after,
      kind: delta < 0 ? "regressed" : delta > 0 ? "improved" : "changed",
    });
  }
  return { changes, unchanged };
}

/** A score as a number in [0, 1]: divergent (or absent) 0, interoperable 1, constrained its share passed. */
function rank(score: Score | undefined): number {
  const parsed = score === undefined ? undefined : parseScore(score);
  if (parsed === undefined) return 0;
  if (parsed.kind !== "constrained") return parsed.kind === "interoperable" ? 1 : 0;
  // Strictly between 0 and 1 even for "constrained (0 of N)": every essential test passed.
  return 0.01 + 0.98 * (parsed.passed / parsed.total);
}

/**
 * When a run fails (`--fail-on`, the action's `fail-on`): a claimed junction that is divergent
 * (default), anything short of interoperable (`constrained`), a claimed junction that scores
 * worse than on the base (`regression`), or never.
 */
export type FailOn = "divergent" | "constrained" | "regression" | "never";

/** Every value of {@link FailOn}, for validation and help texts. */
export const FAIL_ON: readonly FailOn[] = ["divergent", "constrained", "regression", "never"];

/** Expected divergences: junction ids or test ids, each with the reason (config key `known`). */
export type Known = Record<string, string>;

/**
 * One entry of `known` after the run: `expected` (it still does not pass: excused), `resolved`
 * (it passes now: the entry can be removed), or `not-run` (its junction was not claimed or ran no
 * such test).
 */
export type KnownEntry = {
  id: string;
  reason: string;
  kind: "junction" | "test";
  status: "expected" | "resolved" | "not-run";
};

/** A claimed junction that trips the gate, and why. */
export type GateFailure = { junction: string; score: Score | "not run"; why: string };

/** What the gate decided: the junctions that fail it, the known entries' state, the regressions seen. */
export type Gate = { failOn: FailOn; tripped: boolean; failures: GateFailure[]; known: KnownEntry[]; base: boolean };

/** What {@link gate} takes. */
export type GateOptions = { failOn: FailOn; base?: InteropProfile | undefined; known?: Known | undefined };

/**
 * Decides whether a run passes its policy. Claimed junctions that did not run count as divergent
 * (ARCHITECTURE.md). A junction listed in `known`, or whose every non-passing test is listed
 * there or was left out by the run's selection (`--skip`, `--tests`), never trips the gate. Under `regression` only a claimed junction that the base also has
 * and that scores worse now fails (a junction missing from the base is new); with no base nothing
 * can have regressed.
 */
export function gate(report: RunReport, options: GateOptions): Gate {
  const { failOn, base, known = {} } = options;
  const claimed = new Map<string, Score | "not run">([
    ...report.junctions.map((j) => [j.junction, j.score] as const),
    ...report.not_run.map((n) => [n.junction, "not run"] as const),
  ]);
  // Tests the run's selection left out (`--skip`, `--tests`) are known divergences with their reason.
  const failing = (junction: string) =>
    report.results.filter(
      (r) => r.junction === junction && r.status !== "pass" && (r.status !== "skip" || r.skipped_by !== undefined),
    );
  const excused = (junction: string, score: Score | "not run") => {
    if (junction in known) return true;
    if (score === "not run") return false;
    const tests = failing(junction);
    return tests.length > 0 && tests.every((r) => r.test in known || r.skipped_by !== undefined);
  };
  const changes = base ? diffProfiles(base, toScores(report)).changes : [];
  const failures: GateFailure[] = [];
  for (const [junction, score] of claimed) {
    if (failOn === "never" || excused(junction, score)) continue;
    const kind = score === "not run" ? "divergent" : (parseScore(score)?.kind ?? "divergent");
    if (failOn === "divergent" && kind === "divergent")
      failures.push({ junction, score, why: score === "not run" ? "claimed, did not run" : "divergent" });
    if (failOn === "constrained" && kind !== "interoperable")
      failures.push({ junction, score, why: score === "not run" ? "claimed, did not run" : kind });
    if (failOn === "regression") {
      const change = changes.find((c) => c.junction === junction);
      if (change?.kind === "regressed" && change.base !== undefined)
        failures.push({ junction, score, why: `was ${change.base}` });
    }
  }
  return {
    failOn,
    tripped: failures.length > 0,
    failures,
    known: knownEntries(report, known),
    base: base !== undefined,
  };
}

function knownEntries(report: RunReport, known: Known): KnownEntry[] {
  return Object.entries(known).map(([id, reason]): KnownEntry => {
    const junction = report.junctions.find((j) => j.junction === id);
    if (junction)
      return { id, reason, kind: "junction", status: junction.score === "interoperable" ? "resolved" : "expected" };
    if (report.not_run.some((n) => n.junction === id)) return { id, reason, kind: "junction", status: "expected" };
    const result = report.results.find((r) => r.test === id);
    if (result === undefined)
      return { id, reason, kind: id.split(".").length > 2 ? "test" : "junction", status: "not-run" };
    return {
      id,
      reason,
      kind: "test",
      status: result.status === "pass" ? "resolved" : result.status === "skip" ? "not-run" : "expected",
    };
  });
}

/** The run's scores as a profile's `profile` map (claimed junctions that did not run are absent). */
function toScores(report: RunReport): InteropProfile {
  return {
    test_suite: report.suite.uri,
    profile: Object.fromEntries(report.junctions.map((j) => [j.junction, j.score])),
  };
}

/** One line per failure and per known entry, for a terminal or a log. */
export function gateLines(result: Gate): string[] {
  const lines: string[] = [];
  if (result.failOn === "regression" && !result.base)
    lines.push("fail-on regression: no base profile to compare with (--base), so nothing can have regressed");
  for (const f of result.failures) lines.push(`fails --fail-on ${result.failOn}: ${f.junction} (${f.score}; ${f.why})`);
  for (const k of result.known) {
    if (k.status === "expected") lines.push(`known: ${k.id} — ${k.reason}`);
    if (k.status === "resolved")
      lines.push(`known, but passes now (can be removed from "known"): ${k.id} — ${k.reason}`);
    if (k.status === "not-run") lines.push(`known, not run in this run: ${k.id}`);
  }
  return lines;
}
