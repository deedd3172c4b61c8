import * as core from "@actions/core";
import type { getOctokit } from "@actions/github";

/** The REST client `@actions/github` makes (base URL from `GITHUB_API_URL`, so GHES works). */
export type Octokit = ReturnType<typeof getOctokit>;

/** Who writes comments with `GITHUB_TOKEN` (an installation token, which `GET /user` refuses). */
export const ACTIONS_BOT = "github-actions[bot]";

/** What became of the comment. `skipped` carries why, for a warning (a fork's read-only token). */
export type CommentResult = { status: "created" | "updated"; id: number; url: string } | { status: "skipped"; reason: string };

/** Where the sticky comment goes and what it says; `marker` is the hidden line that finds it again. */
export type StickyComment = { owner: string; repo: string; number: number; marker: string; body: string };

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
  const { owner, repo, number, marker, body } = comment;
  try {
    const login = await tokenLogin(octokit);
    const existing = await findComment(octokit, comment, login);
    if (existing !== undefined) {
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing, body });
      return { status: "updated", id: data.id, url: data.html_url };
    }
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body });
    return { status: "created", id: data.id, url: data.html_url };
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 404) return { status: "skipped", reason: `${status} ${error instanceof Error ? error.message : ""}`.trim() };
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

async function findComment(octokit: Octokit, comment: StickyComment, login: string): Promise<number | undefined> {
  const { owner, repo, number, marker } = comment;
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100 });
  for await (const page of pages) {
    const found = page.data.find((c) => c.user?.login === login && c.body?.includes(marker));
    if (found) return found.id;
  }
  return undefined;
}

/** The HTTP status of an Octokit request error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null && "status" in error && typeof error.status === "number" ? error.status : undefined;
}
