import type { RunReport } from "./report.js";

/**
 * For a run whose junctions were not claimed explicitly: an active junction in which no test
 * passed and every test stopped at an agact action the backchannel answered 127 to (the agent has
 * no agact vocabulary) was not run, rather than divergent. It leaves the scores and the results,
 * and `not_run` says why and what to do. Returns the junctions moved.
 */
export function unclaimUnsupported(report: RunReport): string[] {
  const moved: string[] = [];
  for (const j of report.junctions) {
    const mine = report.results.filter((r) => r.junction === j.junction);
    if (mine.length === 0 || !mine.every((r) => r.status !== "pass" && r.unsupported !== undefined)) continue;
    const actions = [...new Set(mine.map((r) => `\`${r.unsupported}\``))].join(", ");
    moved.push(j.junction);
    report.not_run.push({
      junction: j.junction,
      reason: `the ${report.backchannel} backchannel answered 127 (unsupported) to every action its tests need (${actions}): claim it with --features to score it anyway, or pass --backchannel none`,
    });
  }
  report.junctions = report.junctions.filter((j) => !moved.includes(j.junction));
  report.results = report.results.filter((r) => !moved.includes(r.junction));
  return moved;
}
