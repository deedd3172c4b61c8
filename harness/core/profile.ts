import type { InteropProfile } from "../../protocol/index.js";
import type { RunReport } from "./report.js";

export { InteropProfileSchema, parseProfile, type InteropProfile } from "../../protocol/index.js";

/** The interop profile of a run: junctions that did not run are absent (they mean divergent). */
export function toProfile(report: RunReport): InteropProfile {
  return {
    test_suite: report.suite.uri,
    profile: Object.fromEntries(report.junctions.map((j) => [j.junction, j.score])),
    suite_digest: report.suite.digest,
    subject: report.subject,
    generated_at: report.started_at,
    generator: "agtest",
    channel: report.channel,
    backchannel: report.backchannel,
    results: report.results,
    ...(report.silence ? { silence: report.silence } : {}),
    ...(report.not_run.length > 0 ? { not_run: report.not_run } : {}),
    ...(report.notes.length > 0 ? { notes: report.notes } : {}),
  };
}
