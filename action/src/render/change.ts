import { parseScore, type Score } from "../../../protocol/index.js";
import type { Base } from "../base.js";
import type { ProfileDiff } from "../../../harness/core/compare.js";

/** At most this many changed junctions are listed one by one. */
export const MAX_CHANGE_ROWS = 50;

const KIND = { regressed: "⬇️ regressed", improved: "⬆️ improved", changed: "↔️ changed" } as const;

/** A score with its icon; an absent junction says so (it counts as divergent). */
export function scoreCell(score: Score | undefined): string {
  if (score === undefined) return "➖ not claimed";
  const kind = parseScore(score)?.kind;
  return `${kind === "interoperable" ? "✅" : kind === "divergent" ? "❌" : "⚠️"} ${score}`;
}

/**
 * "Change against the base": how many junctions regressed, improved or stayed, and a table of
 * those that moved (regressions first); or why there is no base.
 */
export function changeSection(base: Base, diff: ProfileDiff | undefined): string[] {
  if (base.profile === undefined) return [`**Change against the base:** no base — ${base.why}.`];
  if (diff === undefined) return [`**Change against ${base.from}:** not compared.`];
  const count = (kind: keyof typeof KIND) => diff.changes.filter((c) => c.kind === kind).length;
  const tallies = [
    ...(count("regressed") ? [`⬇️ ${count("regressed")} regressed`] : []),
    ...(count("improved") ? [`⬆️ ${count("improved")} improved`] : []),
    ...(count("changed") ? [`↔️ ${count("changed")} changed`] : []),
    `${diff.unchanged} unchanged`,
  ];
  const head = `**Change against ${base.from}:** ${diff.changes.length === 0 ? "none, " : ""}${tallies.join(" · ")}`;
  if (diff.changes.length === 0) return [head];
  const order = { regressed: 0, improved: 1, changed: 2 } as const;
  const sorted = [...diff.changes].sort((a, b) => order[a.kind] - order[b.kind]);
  const shown = sorted.slice(0, MAX_CHANGE_ROWS);
  return [
    head,
    "",
    "| junction | base | this run | change |",
    "|---|---|---|---|",
    ...shown.map((c) => `| \`${c.junction}\` | ${scoreCell(c.base)} | ${scoreCell(c.now)} | ${KIND[c.kind]} |`),
    ...(sorted.length > shown.length
      ? ["", `_${sorted.length - shown.length} more changes not listed; see the full report._`]
      : []),
  ];
}
