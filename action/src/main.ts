import * as core from "@actions/core";
import * as github from "@actions/github";
import { toProfile } from "../../harness/core/index.js";
import { scoreLine } from "../../protocol/index.js";
import { loadBase } from "./base.js";
import { diffProfiles, gate } from "../../harness/core/compare.js";
import { ActionError, messageOf } from "./errors.js";
import { writeRunFiles } from "./files.js";
import { postComment } from "./github/post.js";
import { relayComment, savePendingComment } from "./github/relay.js";
import { runContext } from "./github/context.js";
import { policyMessage, runHarness } from "./harness.js";
import { type ActionInputs, readInputs } from "./inputs.js";
import { runPair } from "./pair.js";
import { edgeOf, publishRun, writeSummary } from "./publish.js";
import { commentBody, commentMarker, scoresLine, scoresOf, summaryBody, type ReportContext } from "./render/report.js";

/**
 * The action: runs the suite, writes the profile, badge and report files and the job summary,
 * publishes the profile to the edge runtime, comments on the pull request, and fails the step
 * when the `fail-on` policy trips. Every failure ends in `core.setFailed` with a message a user
 * can act on; the job summary says what happened in every case.
 */
export async function run(): Promise<void> {
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.once("SIGINT", cancel).once("SIGTERM", cancel);
  try {
    const inputs = readInputs();
    const context = runContext(github.context);
    if (inputs.commentFrom !== undefined)
      return core.setOutput("comment-url", await relayComment(inputs.commentFrom, inputs.githubToken, context));
    const edge = edgeOf(inputs.edgeUrl, inputs.edgeToken);
    const { harness } = inputs;
    if (inputs.pair && !harness.agent && !harness.endpoint && !harness.config) {
      if (await pairStep(inputs, controller.signal, edge))
        core.setFailed("agtest: some pair fails; see the job summary");
      return;
    }
    const result = await runHarness(inputs, controller.signal, edge, {
      id: github.context.runId,
      attempt: github.context.runAttempt,
    });
    const profile = toProfile(result.report);
    const key = inputs.key ?? result.report.suite.id;
    const artifact = inputs.githubToken
      ? {
          octokit: github.getOctokit(inputs.githubToken),
          context,
          runId: github.context.runId,
          artifact: inputs.baseArtifact,
          key,
          suite: profile.test_suite,
        }
      : undefined;
    const file = inputs.baseProfile ?? result.config.base;
    const base = await loadBase({
      ...(file ? { file } : {}),
      ...(edge ? { edge } : {}),
      ...(artifact ? { artifact } : {}),
      owner: context.owner,
      repo: context.repo,
      ...(context.baseRef ? { ref: context.baseRef } : {}),
      ownRun: !context.pr,
      suite: profile.test_suite,
    });
    if (base.profile === undefined) core.info(`agtest: no base — ${base.why}`);
    const diff = base.profile ? diffProfiles(base.profile, profile) : undefined;
    const verdict = gate(result.report, { failOn: result.failOn, base: base.profile, known: result.config.known });
    const sha = headSha(github.context.payload.pull_request) ?? github.context.sha;
    const report: ReportContext = {
      profile,
      base,
      runUrl: context.runUrl,
      sha,
      gate: verdict,
      ...(diff ? { diff } : {}),
    };
    const summary = summaryBody(result.report, report);
    const files = await writeRunFiles(inputs.outDir ?? `agtest-results/${key}`, result.report, profile, summary);
    await writeSummary(summary);
    const badge = (edge && (await publishRun(edge, context, profile))) || files.badgeSvg;
    const marker = commentMarker(key);
    const body = commentBody(result.report, report, marker);
    await savePendingComment(files.dir, context, sha, marker, body);
    let commentUrl = "";
    if (inputs.commentMode !== "off") {
      // `changes`: write only when a score moved against the base, or against what the existing
      // comment shows; with neither a base nor a comment, the first comment is the news.
      const now = scoresOf(scoresLine(profile));
      const write = (existing: string | undefined) =>
        (diff?.changes.length ?? 0) > 0 || (existing === undefined ? diff === undefined : scoresOf(existing) !== now);
      commentUrl = await postComment({
        token: inputs.githubToken,
        context,
        marker,
        body,
        ...(inputs.commentMode === "changes" ? { write } : {}),
      });
    }
    const outputs = {
      profile: files.profile,
      score: scoreLine(profile),
      badge,
      "badge-json": files.badgeJson,
      report: files.report,
      "comment-url": commentUrl,
    };
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
    core.info(`agtest: ${outputs.score} (${files.dir})`);
    for (const k of verdict.known)
      if (k.status === "resolved")
        core.notice(`agtest: known divergence \`${k.id}\` passes now: it can be removed from "known"`);
    const pairFails = inputs.pair ? await pairStep(inputs, controller.signal, edge) : false;
    if (verdict.tripped) core.setFailed(`agtest: ${policyMessage(verdict)}; see the job summary`);
    else if (pairFails) core.setFailed("agtest: some pair fails; see the job summary");
  } catch (error) {
    const message = messageOf(error);
    if (!(error instanceof ActionError) && error instanceof Error && error.stack) core.debug(error.stack);
    await writeSummary(`### agtest could not run\n\n${message}\n`);
    core.setFailed(`agtest: ${message}`);
  } finally {
    process.off("SIGINT", cancel).off("SIGTERM", cancel);
  }
}

/** The `pair` input: runs the matrix, adds it to the job summary, sets `pair-report`; true when some pair fails. */
async function pairStep(
  inputs: ActionInputs,
  signal: AbortSignal,
  edge: { url: string; token: string } | undefined,
): Promise<boolean> {
  if (!inputs.pair) return false;
  const outcome = await runPair({ ...inputs, pair: inputs.pair }, signal, edge);
  await writeSummary(outcome.markdown);
  core.setOutput("pair-report", outcome.file);
  const counts = outcome.report.protocols.flatMap((m) => m.cells).filter((c) => c.outcome.verdict === "fails").length;
  core.info(`agtest pair: ${counts} failing pair(s) (${outcome.file})`);
  return outcome.fails;
}

function headSha(pr: unknown): string | undefined {
  const sha = (pr as { head?: { sha?: unknown } } | undefined)?.head?.sha;
  return typeof sha === "string" ? sha : undefined;
}
