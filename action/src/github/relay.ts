import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as core from "@actions/core";
import * as github from "@actions/github";
import { ActionError, messageOf } from "../errors.js";
import { COMMENT_LIMIT } from "../render/report.js";
import { byteLength } from "../render/fit.js";
import { upsertComment } from "./comment.js";
import type { RunContext } from "./context.js";

/** What a run leaves for a later workflow to post: `comment.json` in the results folder. */
export type PendingComment = { pull_request: number; head_sha: string; marker: string; body: string };

/** Writes `comment.json` beside the results, for the `workflow_run` recipe (fork pull requests). */
export async function savePendingComment(dir: string, context: RunContext, sha: string, marker: string, body: string): Promise<void> {
  if (context.pr === undefined) return;
  const pending: PendingComment = { pull_request: context.pr.number, head_sha: sha, marker, body };
  await writeFile(join(dir, "comment.json"), `${JSON.stringify(pending, null, 2)}\n`);
}

/**
 * The second half of the fork recipe (input `comment-from`): posts the comment a pull request's
 * run left in its artifact, from a `workflow_run` workflow whose token may write. The artifact
 * comes from the fork's run, so nothing in it is trusted blindly: the pull request must exist and
 * its head must be the commit the triggering run tested, the marker must be agtest's, and the
 * body must fit a comment.
 *
 * @see https://docs.github.com/en/actions/using-workflows/events-that-trigger-workflows#workflow_run
 */
export async function relayComment(dir: string, token: string | undefined, context: RunContext): Promise<string> {
  if (!token) throw new ActionError("input `comment-from` needs `github-token` with `pull-requests: write`");
  const pending = await readPending(join(dir, "comment.json"));
  const octokit = github.getOctokit(token);
  const { data: pr } = await octokit.rest.pulls.get({ owner: context.owner, repo: context.repo, pull_number: pending.pull_request });
  const run = github.context.payload.workflow_run as { head_sha?: unknown } | undefined;
  const tested = typeof run?.head_sha === "string" ? run.head_sha : pending.head_sha;
  if (pr.head.sha !== tested) {
    // A newer push (its own run will comment), or an artifact naming another pull request.
    core.warning(`agtest: comment.json names pull request #${pr.number}, whose head is ${pr.head.sha.slice(0, 7)}, not the commit the run tested (${tested.slice(0, 7)}): not posting`);
    return "";
  }
  const result = await upsertComment(octokit, { owner: context.owner, repo: context.repo, number: pr.number, marker: pending.marker, body: pending.body });
  if (result.status === "skipped") throw new ActionError(`cannot comment on pull request #${pr.number} (${result.reason}): give this workflow \`permissions: pull-requests: write\``);
  core.info(`agtest: ${result.status} comment ${result.url}`);
  return result.url;
}

async function readPending(path: string): Promise<PendingComment> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new ActionError(`input \`comment-from\`: cannot read ${path} (${messageOf(error)}); download the run's agtest-results artifact there first`);
  }
  const p = value as Partial<PendingComment>;
  const ok =
    typeof p.pull_request === "number" &&
    Number.isInteger(p.pull_request) &&
    typeof p.head_sha === "string" &&
    typeof p.marker === "string" &&
    /^<!-- agtest:[A-Za-z0-9._-]+ -->$/.test(p.marker) &&
    typeof p.body === "string" &&
    p.body.startsWith(`${p.marker}\n`) &&
    byteLength(p.body) <= COMMENT_LIMIT;
  if (!ok) throw new ActionError(`${path} is not a comment agtest wrote (pull_request, head_sha, an agtest marker, a body under ${COMMENT_LIMIT} bytes)`);
  return p as PendingComment;
}
