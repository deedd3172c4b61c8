import type { context as actionsContext } from "@actions/github";
import { ActionError } from "../errors.js";

/** What of `@actions/github`'s context (the runner's variables and the event payload) is used. */
export type Context = Pick<
  typeof actionsContext,
  "eventName" | "payload" | "ref" | "runId" | "runAttempt" | "serverUrl"
>;

/** The pull request a run is about. */
export type PullRequest = { number: number; baseRef: string; fork: boolean };

/** Where the action runs, from the event payload and the runner's variables. */
export type RunContext = {
  owner: string;
  repo: string;
  eventName: string;
  pr?: PullRequest;
  /** The ref this run's profile is stored under: the branch (`main`), or `refs/pull/3/merge`, or a tag's full ref. */
  ref?: string;
  /** The ref whose stored profile is the base: the pull request's base branch, else this run's own ref (the last run). */
  baseRef?: string;
  /** The run's page, where the job summary (the full report) is. */
  runUrl: string;
};

/**
 * Reads the run's context. Pull request runs (`pull_request`, `pull_request_target`) store under
 * `refs/pull/N/merge` whatever `GITHUB_REF` says (for `pull_request_target` it is the base branch,
 * which a pull request must not overwrite).
 */
export function runContext(context: Context, repository = process.env.GITHUB_REPOSITORY ?? ""): RunContext {
  const [owner, repo] = repository.split("/");
  if (!owner || !repo)
    throw new ActionError("GITHUB_REPOSITORY is not set (owner/repo): is this running on GitHub Actions?");
  const attempt = context.runAttempt > 1 ? `/attempts/${context.runAttempt}` : "";
  const base: RunContext = {
    owner,
    repo,
    eventName: context.eventName,
    runUrl: `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}${attempt}`,
  };
  const pr = pullRequestOf(context.payload.pull_request);
  if (pr) return { ...base, pr, ref: `refs/pull/${pr.number}/merge`, baseRef: pr.baseRef };
  const ref = context.ref.startsWith("refs/heads/")
    ? context.ref.slice("refs/heads/".length)
    : context.ref || undefined;
  return ref ? { ...base, ref, baseRef: ref } : base;
}

function pullRequestOf(value: unknown): PullRequest | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const pr = value as {
    number?: unknown;
    base?: { ref?: unknown; repo?: { full_name?: unknown } };
    head?: { repo?: { full_name?: unknown } | null };
  };
  if (typeof pr.number !== "number" || typeof pr.base?.ref !== "string") return undefined;
  // A deleted fork has `head.repo: null`; it is a fork all the same.
  const fork = pr.head?.repo?.full_name !== pr.base.repo?.full_name;
  return { number: pr.number, baseRef: pr.base.ref, fork };
}
