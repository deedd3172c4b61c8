import * as core from "@actions/core";
import type { getOctokit } from "@actions/github";

/** The REST client `@actions/github` makes (base URL from `GITHUB_API_URL`, so GHES works). */
export type Octokit = ReturnType<typeof getOctokit>;

/** Who writes comments with `GITHUB_TOKEN` (an installation token, which `GET /user` refuses). */
export const ACTIONS_BOT = "github-actions[bot]";

/**
 * What became of the comment. `skipped` carries why, for a warning (a fork's read-only token);
 * `unchanged` is a comment left as it was because {@link StickyComment.write} said so.
 */
export type CommentResult =
  | { status: "created" | "updated"; id: number; url: string }
  | { status: "unchanged"; id?: number; url?: string }
  | { status: "skipped"; reason: string };

/**
 * Where the sticky comment goes and what it says; `marker` is the hidden line that finds it
 * again. `write`, when given, decides from the existing comment's body (`undefined`: there is
 * none) whether to write at all (`comment-mode: changes`).
 */
export type StickyComment = {
  owner: string;
  repo: string;
  number: number;
  marker: string;
  body: string;
  write?: (existing: string | undefined) => boolean;
};

/**
 * Creates the pull request's sticky comment, or updates it in place: the first comment that
 * carries `marker` among those written by the token's own account, looked for page by page
 * (100 a page) so long threads still find it. Comments by anyone else are never touched, even
 * with the marker. A token that may not write (403, as on pull requests from forks) or cannot see
 * the pull request (404) is not an error: the result says `skipped` and why.
 *
 * @see https://docs.github.com/en/rest/issues/comments
 */
export async function upsertComment(octokit: Octokit, comment: StickyComment): Promise<CommentResult> {
  const { owner, repo, number, body } = comment;
  try {
    const login = await tokenLogin(octokit);
    const existing = await findComment(octokit, comment, login);
    if (comment.write && !comment.write(existing?.body))
      return existing ? { status: "unchanged", id: existing.id, url: existing.url } : { status: "unchanged" };
    if (existing !== undefined) {
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
      return { status: "updated", id: data.id, url: data.html_url };
    }
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body });
    return { status: "created", id: data.id, url: data.html_url };
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 404)
      return { status: "skipped", reason: `${status} ${error instanceof Error ? error.message : ""}`.trim() };
    throw error;
  }
}

/**
 * The login comments made with this token carry: `GET /user` answers it for a personal or OAuth
 * token; an installation token (`GITHUB_TOKEN`) gets 403 there and writes as `github-actions[bot]`.
 */
export async function tokenLogin(octokit: Octokit): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return data.login;
  } catch (error) {
    const status = statusOf(error);
    if (status === 401 || status === 403 || status === 404) {
      core.debug(`GET /user answered ${status}: comments are looked for among ${ACTIONS_BOT}'s`);
      return ACTIONS_BOT;
    }
    throw error;
  }
}

/** The first comment by `login` that carries `marker` alone on one of its lines (never as part of a line). */
async function findComment(
  octokit: Octokit,
  comment: StickyComment,
  login: string,
): Promise<{ id: number; url: string; body: string } | undefined> {
  const { owner, repo, number, marker } = comment;
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: number,
    per_page: 100,
  });
  for await (const page of pages) {
    const found = page.data.find((c) => c.user?.login === login && hasMarker(c.body ?? "", marker));
    if (found) return { id: found.id, url: found.html_url, body: found.body ?? "" };
  }
  return undefined;
}

/** Whether `body` has `marker` as a whole line: another suite's marker, or one quoted inside a line, is not it. */
export function hasMarker(body: string, marker: string): boolean {
  return body.split(/\r?\n/).includes(marker);
}

/** The HTTP status of an Octokit request error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null && "status" in error && typeof error.status === "number"
    ? error.status
    : undefined;
}
