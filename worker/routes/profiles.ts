import { Hono } from "hono";
import { parseProfile } from "../../protocol/index.js";
import type { Env } from "../env.js";
import { ApiError } from "../errors.js";
import type { StoredProfile } from "../profiles/index.js";
import { readJson } from "../body.js";
import { profilesOf, registryOf } from "../stubs.js";

/** Largest profile accepted (per-test results included). */
export const MAX_PROFILE_BYTES = 1024 * 1024;

/** GitHub's owner and repository names. */
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** Validates `:owner/:repo/:ref` (the ref arrives URL-decoded: `refs/pull/3/merge` is fine). */
export function repoRef(owner: string, repo: string, ref: string): { owner: string; repo: string; ref: string } {
  if (!NAME.test(owner)) throw new ApiError("INVALID_REQUEST", `invalid owner \`${owner}\``);
  if (!NAME.test(repo)) throw new ApiError("INVALID_REQUEST", `invalid repository \`${repo}\``);
  if (ref.length === 0 || ref.length > 255 || /[\u0000-\u001f]/.test(ref))
    throw new ApiError("INVALID_REQUEST", "invalid ref");
  return { owner, repo, ref };
}

/** The latest profile of a ref, or 404. */
export async function latestProfile(
  env: Env,
  owner: string,
  repo: string,
  ref: string,
  suite: string | null,
): Promise<StoredProfile> {
  const at = repoRef(owner, repo, ref);
  const stored = await profilesOf(env, at.owner, at.repo).latest(at.ref, suite);
  if (!stored) throw new ApiError("NOT_FOUND", `no profile stored for ${owner}/${repo}@${ref}`);
  return stored;
}

/** `/v1/profiles/:owner/:repo/:ref`: the interop profile store (published by the GitHub Action). */
export const profiles = new Hono<{ Bindings: Env }>()
  .put("/:owner/:repo/:ref{.+}", async (c) => {
    const at = repoRef(c.req.param("owner"), c.req.param("repo"), c.req.param("ref"));
    const parsed = await readJson(c.req.raw, MAX_PROFILE_BYTES);
    if (!parsed.ok) throw new ApiError("INVALID_REQUEST", `the body is ${parsed.reason}`);
    const json = parsed.value;
    let profile: ReturnType<typeof parseProfile>;
    try {
      profile = parseProfile(json);
    } catch (err) {
      const issue = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues?.[0];
      throw new ApiError(
        "INVALID_REQUEST",
        `profile.${issue?.path.map(String).join(".") || "(body)"}: ${issue?.message ?? "invalid"}`,
      );
    }
    const { created, stored } = await profilesOf(c.env, at.owner, at.repo).put(at.ref, profile);
    await registryOf(c.env).published({
      owner: at.owner,
      repo: at.repo,
      ref: at.ref,
      test_suite: stored.test_suite,
      stored_at: stored.stored_at,
    });
    return c.json(
      { owner: at.owner, repo: at.repo, ref: at.ref, test_suite: stored.test_suite, stored_at: stored.stored_at },
      created ? 201 : 200,
    );
  })
  .get("/:owner/:repo/:ref{.+}", async (c) => {
    const stored = await latestProfile(
      c.env,
      c.req.param("owner"),
      c.req.param("repo"),
      c.req.param("ref"),
      c.req.query("suite") ?? null,
    );
    return c.json(stored.profile);
  });
