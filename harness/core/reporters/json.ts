import { toProfile } from "../profile.js";
import type { RunReport } from "../report.js";

/** The interop profile of a run as pretty JSON text (what `--out profile.json` writes). */
export function profileJson(report: RunReport): string {
  return `${JSON.stringify(toProfile(report), null, 2)}\n`;
}
