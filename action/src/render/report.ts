import { badgeFor, scoreLine, shieldsStaticUrl, type InteropProfile } from "../../../protocol/index.js";
import { markdownReport, type RunReport } from "../../../harness/core/index.js";
import type { Base } from "../base.js";
import type { ProfileDiff } from "../diff.js";
import { changeSection } from "./change.js";
import { byteLength, fitLines } from "./fit.js";

/** GitHub's limit on an issue or pull request comment body, in characters. */
export const COMMENT_LIMIT = 65_536;

/** GitHub's limit on one step's job summary (1 MiB). */
export const SUMMARY_LIMIT = 1024 * 1024;

/** Everything a report shows besides the run itself. */
export type ReportContext = {
  profile: InteropProfile;
  base: Base;
  diff?: ProfileDiff;
  /** The run's page (its job summary holds the full report). */
  runUrl: string;
  /** The commit the report is for (shown short in the comment). */
  sha?: string;
};

/** The hidden line that finds a suite's sticky comment again: `<!-- agtest:fipa -->`. */
export function commentMarker(key: string): string {
  return `<!-- agtest:${key.replace(/[^A-Za-z0-9._-]/g, "_")} -->`;
}

/** The badge and the change against the base: what the report says before its junction table. */
export function preface(context: ReportContext): string[] {
  const badge = badgeFor(context.profile);
  return [`![${badge.label}: ${badge.message}](${shieldsStaticUrl(badge)}) **${scoreLine(context.profile)}**`, "", ...changeSection(context.base, context.diff)];
}

/**
 * The pull request comment: the marker, the report with the badge and the change against the base,
 * and a link to the full report. Fits GitHub's 65,536-character limit (counted in UTF-8 bytes, an
 * upper bound): failure details go first, then anything past the limit, with a note and the link.
 */
export function commentBody(report: RunReport, context: ReportContext, marker: string, limit = COMMENT_LIMIT): string {
  const sha = context.sha ? ` · for ${context.sha.slice(0, 7)}` : "";
  const footer = [`<sub>[Full report and log](${context.runUrl})${sha}</sub>`, ""];
  const budget = limit - byteLength([marker, ...footer].join("\n")) - 16;
  const body = markdownReport(report, { maxBytes: budget, preface: preface(context) }).split("\n");
  const fitted = fitLines(body, budget, [`_The report was cut to fit a comment; the rest is in the [full report](${context.runUrl})._`]);
  return [marker, ...fitted, ...footer].join("\n");
}

/** The job summary: the same report with room for every failure (GitHub takes 1 MiB a step). */
export function summaryBody(report: RunReport, context: ReportContext, limit = SUMMARY_LIMIT): string {
  const budget = limit - 1024;
  const body = markdownReport(report, { maxBytes: budget, preface: preface(context) }).split("\n");
  return fitLines(body, budget, ["_The report was cut to fit the job summary; the profile file has every result._"]).join("\n");
}
