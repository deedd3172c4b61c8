import * as core from "@actions/core";
import * as github from "@actions/github";
import { messageOf } from "../errors.js";
import { statusOf, upsertComment, type CommentResult, type StickyComment } from "./comment.js";
import type { RunContext } from "./context.js";

/** What {@link postComment} needs; `write` as in {@link StickyComment} (`comment-mode: changes`). */
export type PostOptions = {
  token: string | undefined;
  context: RunContext;
  marker: string;
  body: string;
  write?: (existing: string | undefined) => boolean;
};

/**
 * Posts or updates the sticky comment when the run is about a pull request; returns its URL, or
 * "" when there is none. A read-only token (a fork's, or a job without `pull-requests: write`)
 * gets a warning saying what to do, and so does any other API failure: never a failed step, as
 * the job summary has the report.
 */
export async function postComment(options: PostOptions): Promise<string> {
  const { token, context, marker, body, write } = options;
  const { pr } = context;
  if (pr === undefined) {
    core.info(
      `agtest: ${context.eventName} is not a pull request event: no comment (the report is in the job summary)`,
    );
    return "";
  }
  if (!token) {
    core.warning("agtest: `github-token` is empty: no comment on the pull request (the report is in the job summary)");
    return "";
  }
  const octokit = github.getOctokit(token);
  let result: CommentResult;
  try {
    const comment: StickyComment = { owner: context.owner, repo: context.repo, number: pr.number, marker, body };
    result = await upsertComment(octokit, write ? { ...comment, write } : comment);
  } catch (error) {
    // The report is complete without the comment: an API outage must not fail the check.
    const status = statusOf(error);
    core.warning(
      `agtest: could not comment on pull request #${pr.number} (${status ? `${status} ` : ""}${messageOf(error)}). The report is in the job summary and the profile file.`,
    );
    return "";
  }
  if (result.status === "skipped") {
    const fix = pr.fork
      ? "pull requests from forks get a read-only token: comment from a second workflow on `workflow_run` (agtest's fixtures/workflows/agtest-fork-comment.yml)"
      : "give the job `permissions: pull-requests: write`";
    core.warning(
      `agtest: cannot comment on pull request #${pr.number} (${result.reason}): ${fix}. The report is in the job summary and the profile file.`,
    );
    return "";
  }
  if (result.status === "unchanged") {
    core.info(
      `agtest: no score changed (comment-mode: changes): ${result.url ? `comment ${result.url} left as it was` : "no comment written"}`,
    );
    return result.url ?? "";
  }
  core.info(`agtest: ${result.status} comment ${result.url}`);
  return result.url;
}
