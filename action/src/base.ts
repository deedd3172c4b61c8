import { readFile } from "node:fs/promises";
import { parseProfile, type InteropProfile } from "../../protocol/index.js";
import { fetchProfile, type Edge } from "./edge.js";
import { messageOf } from "./errors.js";

/** The profile to compare with, and where it came from (for the comment), or why there is none. */
export type Base = { profile: InteropProfile; from: string } | { profile?: undefined; why: string };

/** Where a base can come from: a file (a previous run's profile), or the edge profile store. */
export type BaseSources = { file?: string; edge?: Edge; owner: string; repo: string; ref?: string; ownRun: boolean; suite: string };

/**
 * The base profile: the `base-profile` file when given, else the one stored on the edge runtime
 * for the base ref (the pull request's base branch, or this ref's previous run), else none. A base
 * that cannot be read is reported as no base, never as a failed run.
 */
export async function loadBase(sources: BaseSources): Promise<Base> {
  const { file, edge, owner, repo, ref, ownRun, suite } = sources;
  if (file !== undefined) {
    try {
      return { profile: parseProfile(JSON.parse(await readFile(file, "utf8"))), from: `\`${file}\`` };
    } catch (error) {
      return { why: `cannot read the base profile \`${file}\` (${messageOf(error).split("\n")[0]})` };
    }
  }
  if (edge === undefined) return { why: "set `edge-url` and `edge-token` (the profile store) or `base-profile` (a previous run's profile.json) to compare" };
  if (ref === undefined) return { why: "no base ref to compare with" };
  const what = ownRun ? `the last run on \`${ref}\`` : `\`${ref}\``;
  try {
    const profile = await fetchProfile(edge, owner, repo, ref, suite);
    if (profile) return { profile, from: `${what} (edge profile store)` };
    // After a suite version bump the base was stored under the previous version: compare with it.
    const latest = await fetchProfile(edge, owner, repo, ref);
    if (latest && sameSuite(latest.test_suite, suite)) return { profile: latest, from: `${what} (edge profile store, \`${latest.test_suite}\`)` };
    return { why: `no profile stored for ${what} yet` };
  } catch (error) {
    return { why: `cannot fetch the base profile of ${what}: ${messageOf(error)}` };
  }
}

/** Whether two suite URIs (`urn:agtest:suite:<id>:<version>`) name versions of one suite. */
export function sameSuite(a: string, b: string): boolean {
  const id = (uri: string) => uri.slice(0, uri.lastIndexOf(":"));
  return id(a) === id(b) && id(a) !== "";
}
