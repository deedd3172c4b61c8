import { lstat, readFile, realpath, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
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
export async function savePendingComment(
  dir: string,
  context: RunContext,
  sha: string,
  marker: string,
  body: string,
): Promise<void> {
  if (context.pr === undefined) return;
  const pending: PendingComment = { pull_request: context.pr.number, head_sha: sha, marker, body };
  await writeFile(join(dir, "comment.json"), `${JSON.stringify(pending, null, 2)}\n`);
}

/** The part of a `workflow_run` event payload the recipe trusts: what GitHub says the run tested. */
type TriggeringRun = {
  head_sha?: unknown;
  head_branch?: unknown;
  head_repository?: { full_name?: unknown; owner?: { login?: unknown } } | null;
  pull_requests?: { number?: unknown }[];
};

/** comment.json is small (a comment body and three fields); anything larger is not agtest's. */
const MAX_PENDING_BYTES = 4 * COMMENT_LIMIT;

/**
 * The second half of the fork recipe (input `comment-from`): posts the comment a pull request's
 * run left in its artifact, from a `workflow_run` workflow whose token may write. The artifact
 * comes from the fork's run, so nothing in it decides where the comment goes: the pull request is
 * the one the triggering run tested, taken from the `workflow_run` event (its `pull_requests[]`,
 * or, as GitHub leaves that empty for forks, the open pull request from its head repository and
 * branch), and its head must still be the commit that run tested. A `comment.json` naming another
 * pull request posts nothing. The file must be a regular file inside the folder.
 *
 * @see https://docs.github.com/en/actions/using-workflows/events-that-trigger-workflows#workflow_run
 */
export async function relayComment(dir: string, token: string | undefined, context: RunContext): Promise<string> {
  if (!token) throw new ActionError("input `comment-from` needs `github-token` with `pull-requests: write`");
  const run = github.context.payload.workflow_run as TriggeringRun | undefined;
  if (github.context.eventName !== "workflow_run" || run === undefined || typeof run.head_sha !== "string") {
    throw new ActionError(
      "input `comment-from` runs in a workflow triggered by `workflow_run` (it takes the pull request from that event, never from the artifact)",
    );
  }
  const pending = await readPending(dir);
  const octokit = github.getOctokit(token);
  const tested = run.head_sha;
  const number = await testedPullRequest(octokit, context, run);
  if (number === undefined) {
    core.warning(
      `agtest: no open pull request of ${String(run.head_repository?.full_name ?? "the run's repository")} has the commit the run tested (${tested.slice(0, 7)}) as its head: not posting`,
    );
    return "";
  }
  if (pending.pull_request !== number) {
    core.warning(
      `agtest: comment.json names pull request #${pending.pull_request}, but the run that made it tested pull request #${number}: not posting`,
    );
    return "";
  }
  const { data: pr } = await octokit.rest.pulls.get({ owner: context.owner, repo: context.repo, pull_number: number });
  if (pr.head.sha !== tested) {
    // A newer push: its own run will comment.
    core.warning(
      `agtest: pull request #${pr.number}'s head is ${pr.head.sha.slice(0, 7)}, not the commit the run tested (${tested.slice(0, 7)}): not posting`,
    );
    return "";
  }
  const result = await upsertComment(octokit, {
    owner: context.owner,
    repo: context.repo,
    number: pr.number,
    marker: pending.marker,
    body: pending.body,
  });
  if (result.status === "skipped")
    throw new ActionError(
      `cannot comment on pull request #${pr.number} (${result.reason}): give this workflow \`permissions: pull-requests: write\``,
    );
  core.info(`agtest: ${result.status} comment ${result.url ?? ""}`);
  return result.status === "unchanged" ? (result.url ?? "") : result.url;
}

/**
 * The pull request the triggering run tested: from the event's `pull_requests[]` when GitHub
 * filled it in (same-repository branches), else the open pull request whose head is the run's
 * head repository and branch at the tested commit.
 */
async function testedPullRequest(
  octokit: ReturnType<typeof github.getOctokit>,
  context: RunContext,
  run: TriggeringRun,
): Promise<number | undefined> {
  const listed = (run.pull_requests ?? []).map((p) => p.number).filter((n): n is number => typeof n === "number");
  if (listed.length === 1) return listed[0];
  const owner = run.head_repository?.owner?.login;
  const repoName = run.head_repository?.full_name;
  if (typeof owner !== "string" || typeof repoName !== "string" || typeof run.head_branch !== "string")
    return undefined;
  const { data } = await octokit.rest.pulls.list({
    owner: context.owner,
    repo: context.repo,
    state: "open",
    head: `${owner}:${run.head_branch}`,
    per_page: 100,
  });
  const matching = data.filter(
    (pr) =>
      pr.head.sha === run.head_sha &&
      pr.head.repo?.full_name === repoName &&
      (listed.length === 0 || listed.includes(pr.number)),
  );
  return matching.length === 1 ? matching[0]?.number : undefined;
}

/** Reads `DIR/comment.json`: a regular file inside DIR (no symlink), small, in agtest's shape. */
async function readPending(dir: string): Promise<PendingComment> {
  const path = join(dir, "comment.json");
  let text: string;
  try {
    const info = await lstat(path);
    if (!info.isFile())
      throw new ActionError(`input \`comment-from\`: ${path} is not a regular file (a symlink or a folder is refused)`);
    const [inside, folder] = await Promise.all([realpath(path), realpath(dir)]);
    if (dirname(inside) !== folder) throw new ActionError(`input \`comment-from\`: ${path} is not inside ${dir}`);
    if (info.size > MAX_PENDING_BYTES)
      throw new ActionError(`input \`comment-from\`: ${path} is ${info.size} bytes, more than a comment agtest writes`);
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof ActionError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? messageOf(error);
    throw new ActionError(
      `input \`comment-from\`: cannot read ${path} (${code}); download the run's agtest-results artifact there first`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Never quote the file: the artifact is the fork's, and its text is not ours to echo.
    throw new ActionError(`input \`comment-from\`: ${path} is not JSON`);
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
  if (!ok)
    throw new ActionError(
      `${path} is not a comment agtest wrote (pull_request, head_sha, an agtest marker, a body under ${COMMENT_LIMIT} bytes)`,
    );
  return p as PendingComment;
}
