import * as core from "@actions/core";
import type { InteropProfile } from "../../protocol/index.js";
import { badgeUrl, publishProfile, type Edge } from "./edge.js";
import { messageOf } from "./errors.js";
import type { RunContext } from "./github/context.js";

/**
 * The edge runtime to publish on and fetch the base from, when both `edge-url` and `edge-token`
 * are given. A URL without a token (secrets are not passed to pull requests from forks) is a
 * warning: the run goes on without the store.
 */
export function edgeOf(url: string | undefined, token: string | undefined): Edge | undefined {
  if (url === undefined) return undefined;
  if (token === undefined) {
    core.warning(
      "agtest: `edge-url` is set but `edge-token` is empty (secrets are not passed to pull requests from forks): the profile is neither published nor compared with the stored base",
    );
    return undefined;
  }
  core.setSecret(token);
  return { url, token };
}

/**
 * Stores the run's profile on the edge runtime under the run's ref and returns the ref's live
 * badge URL; `undefined` (with a warning) when it cannot: the local badge file stands in.
 */
export async function publishRun(
  edge: Edge,
  context: RunContext,
  profile: InteropProfile,
): Promise<string | undefined> {
  if (context.ref === undefined) return undefined;
  try {
    await publishProfile(edge, context.owner, context.repo, context.ref, profile);
    const badge = badgeUrl(edge, context.owner, context.repo, context.ref);
    core.info(`agtest: profile published for ${context.ref}; live badge ${badge}`);
    return badge;
  } catch (error) {
    core.warning(
      `agtest: could not publish the profile to ${edge.url}: ${messageOf(error)}. The badge output is the local file.`,
    );
    return undefined;
  }
}

/** Appends to the job summary (`GITHUB_STEP_SUMMARY`); a failure to write is a warning. */
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return core.info("agtest: no GITHUB_STEP_SUMMARY: job summary not written");
  try {
    await core.summary.addRaw(markdown, true).write({ overwrite: false });
  } catch (error) {
    core.warning(`agtest: could not write the job summary: ${messageOf(error)}`);
  } finally {
    core.summary.emptyBuffer();
  }
}
