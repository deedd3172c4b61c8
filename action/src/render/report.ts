import { createHash } from "node:crypto";
import { badgeFor, scoreLine, shieldsStaticUrl, type InteropProfile } from "../../../protocol/index.js";
import { markdownReport, type RunReport } from "../../../harness/core/index.js";
import type { Base } from "../base.js";
import type { ProfileDiff } from "../../../harness/core/compare.js";
import type { Gate } from "../../../harness/core/compare.js";
import { changeSection } from "./change.js";
import { gateSection } from "./gate.js";
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
  /** What the `fail-on` policy and the `known` list decided. */
  gate?: Gate;
};

/** The hidden line that finds a suite's sticky comment again: `<!-- agtest:fipa -->`. */
export function commentMarker(key: string): string {
  return `<!-- agtest:${key.replace(/[^A-Za-z0-9._-]/g, "_")} -->`;
}

/** The badge and the change against the base: what the report says before its junction table. */
export function preface(context: ReportContext): string[] {
  const badge = badgeFor(context.profile);
  return [
    `![${badge.label}: ${badge.message}](${shieldsStaticUrl(badge)}) **${scoreLine(context.profile)}**`,
    "",
    ...changeSection(context.base, context.diff),
    ...gateSection(context.gate),
  ];
}

/**
 * A hidden line with a digest of the junction scores the comment shows, so the next run can tell
 * whether anything changed (`comment-mode: changes`) without parsing the Markdown; its size does
 * not grow with the profile.
 */
export function scoresLine(profile: InteropProfile): string {
  const sorted = Object.entries(profile.profile).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `<!-- agtest-scores sha256:${createHash("sha256").update(JSON.stringify(sorted)).digest("hex")} -->`;
}

/** The scores digest a comment's {@link scoresLine} recorded, or `undefined` when it has none. */
export function scoresOf(body: string): string | undefined {
  return /^<!-- agtest-scores (sha256:[0-9a-f]{64}) -->$/m.exec(body)?.[1];
}

/**
 * The pull request comment: the marker, the report with the badge and the change against the base,
 * and a link to the full report. Fits GitHub's 65,536-character limit (counted in UTF-8 bytes, an
 * upper bound): failure details go first, then anything past the limit, with a note and the link.
 */
export function commentBody(report: RunReport, context: ReportContext, marker: string, limit = COMMENT_LIMIT): string {
  const sha = context.sha ? ` · for ${context.sha.slice(0, 7)}` : "";
  const footer = [scoresLine(context.profile), `<sub>[Full report and log](${context.runUrl})${sha}</sub>`, ""];
  const budget = limit - byteLength([marker, ...footer].join("\n")) - 16;
  const body = markdownReport(report, { maxBytes: budget, preface: preface(context) }).split("\n");
  const fitted = fitLines(body, budget, [
    `_The report was cut to fit a comment; the rest is in the [full report](${context.runUrl})._`,
  ]);
  return [marker, ...fitted, ...footer].join("\n");
}

/** The job summary: the same report with room for every failure (GitHub takes 1 MiB a step). */
export function summaryBody(report: RunReport, context: ReportContext, limit = SUMMARY_LIMIT): string {
  const budget = limit - 1024;
  const body = markdownReport(report, { maxBytes: budget, preface: preface(context) }).split("\n");
  return fitLines(body, budget, [
    "_The report was cut to fit the job summary; the profile file has every result._",
  ]).join("\n");
}
