import { readFile } from "node:fs/promises";
import { parseProfile, type InteropProfile } from "../../protocol/index.js";
import { fetchProfile, type Edge } from "./edge.js";
import { messageOf } from "./errors.js";
import { type ArtifactQuery, artifactBase, sameSuite } from "./github/artifact-base.js";

export { sameSuite };

/** The profile to compare with, and where it came from (for the comment), or why there is none. */
export type Base = { profile: InteropProfile; from: string } | { profile?: undefined; why: string };

/** Where a base can come from: a file, the edge profile store, the base branch's last run artifact. */
export type BaseSources = {
  file?: string;
  edge?: Edge;
  owner: string;
  repo: string;
  ref?: string;
  ownRun: boolean;
  suite: string;
  artifact?: ArtifactQuery;
};

/**
 * The base profile: the `base-profile` file when given, else the one stored on the edge runtime
 * for the base ref (the pull request's base branch, or this ref's previous run), else the
 * `agtest-results` artifact of the base branch's last successful run of this workflow, else none.
 * A base that cannot be read is reported as no base, never as a failed run.
 */
export async function loadBase(sources: BaseSources): Promise<Base> {
  const { file, edge, artifact } = sources;
  if (file !== undefined) {
    try {
      return { profile: parseProfile(JSON.parse(await readFile(file, "utf8"))), from: `\`${file}\`` };
    } catch (error) {
      return { why: `cannot read the base profile \`${file}\` (${messageOf(error).split("\n")[0]})` };
    }
  }
  const stored = edge === undefined ? undefined : await edgeBase(edge, sources);
  if (stored?.profile) return stored;
  if (artifact === undefined)
    return (
      stored ?? {
        why: "set `edge-url` and `edge-token` (the profile store) or `base-profile` (a previous run's profile.json), or let the token read Actions artifacts, to compare",
      }
    );
  const found = await artifactBase(artifact);
  if (found.profile || stored === undefined) return found;
  return { why: `${stored.why}; ${found.why}` };
}

async function edgeBase(edge: Edge, sources: BaseSources): Promise<Base> {
  const { owner, repo, ref, ownRun, suite } = sources;
  if (ref === undefined) return { why: "no base ref to compare with" };
  const what = ownRun ? `the last run on \`${ref}\`` : `\`${ref}\``;
  try {
    const profile = await fetchProfile(edge, owner, repo, ref, suite);
    if (profile) return { profile, from: `${what} (edge profile store)` };
    // After a suite version bump the base was stored under the previous version: compare with it.
    const latest = await fetchProfile(edge, owner, repo, ref);
    if (latest && sameSuite(latest.test_suite, suite))
      return { profile: latest, from: `${what} (edge profile store, \`${latest.test_suite}\`)` };
    return { why: `no profile stored for ${what} yet` };
  } catch (error) {
    return { why: `cannot fetch the base profile of ${what}: ${messageOf(error)}` };
  }
}
