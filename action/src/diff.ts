import { parseScore, type InteropProfile, type Score } from "../../protocol/index.js";

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
    changes.push({ junction, base: before, now: after, kind: delta < 0 ? "regressed" : delta > 0 ? "improved" : "changed" });
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
