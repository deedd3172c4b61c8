import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { junitReport, profileJson, type RunReport } from "../../harness/core/index.js";
import { badgeSvg } from "../../protocol/badge-svg.js";
import { badgeFor, shieldsEndpoint, type InteropProfile } from "../../protocol/index.js";
import { ActionError, messageOf } from "./errors.js";

/** The files a run leaves (absolute paths): upload the folder as an artifact to keep them. */
export type RunFiles = {
  dir: string;
  profile: string;
  badgeSvg: string;
  badgeJson: string;
  report: string;
  junit: string;
};

/**
 * Writes the profile, the badge (SVG, and shields.io endpoint JSON), the Markdown report and the
 * JUnit XML into `dir`, creating it.
 */
export async function writeRunFiles(
  dir: string,
  report: RunReport,
  profile: InteropProfile,
  markdown: string,
): Promise<RunFiles> {
  const at = resolve(dir);
  const files: RunFiles = {
    dir: at,
    profile: join(at, "profile.json"),
    badgeSvg: join(at, "badge.svg"),
    badgeJson: join(at, "badge.json"),
    report: join(at, "report.md"),
    junit: join(at, "junit.xml"),
  };
  const badge = badgeFor(profile);
  try {
    await mkdir(at, { recursive: true });
    await writeFile(files.profile, profileJson(report));
    await writeFile(files.badgeSvg, badgeSvg(badge));
    await writeFile(files.badgeJson, `${JSON.stringify(shieldsEndpoint(badge))}\n`);
    await writeFile(files.report, markdown);
    await writeFile(files.junit, junitReport(report));
  } catch (error) {
    throw new ActionError(`cannot write the results to ${at} (input \`out-dir\`): ${messageOf(error)}`);
  }
  return files;
}
