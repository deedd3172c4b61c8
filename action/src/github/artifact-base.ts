import * as core from "@actions/core";
import { unzipSync } from "fflate";
import { parseProfile, type InteropProfile } from "../../../protocol/index.js";
import { messageOf } from "../errors.js";
import { type Octokit, statusOf } from "./comment.js";
import type { RunContext } from "./context.js";

/** Runs of the base branch looked at, newest first, before giving up on finding an artifact. */
const MAX_RUNS = 10;

/** An artifact larger than this is not a results folder: not downloaded. */
const MAX_ARTIFACT_BYTES = 20 * 1024 * 1024;

/** Events whose runs may carry code or data from a pull request: never a base. */
const UNTRUSTED_EVENTS = new Set([
  "pull_request",
  "pull_request_target",
  "pull_request_review",
  "pull_request_review_comment",
  "issue_comment",
  "workflow_run",
]);

/** What {@link artifactBase} needs. */
export type ArtifactQuery = {
  octokit: Octokit;
  context: RunContext;
  /** This run's id (never its own base). */
  runId: number;
  /** The artifact's name (input `base-artifact`, default `agtest-results`). */
  artifact: string;
  /** The results folder inside the artifact (`key`, default the suite's id). */
  key: string;
  /** This run's suite URI: a base of another suite is no base. */
  suite: string;
};

/** A base found in an artifact, or why none was. */
export type ArtifactBase = { profile: InteropProfile; from: string } | { profile?: undefined; why: string };

/**
 * The base profile with no server, as coverage and test-result actions find theirs: the newest
 * successful run of this same workflow on the base branch (runs of pull request events excluded,
 * and runs of other repositories, so a fork cannot plant a base) that uploaded the results
 * artifact, whose `KEY/profile.json` is of the same suite. Needs `actions: read`.
 *
 * @see https://docs.github.com/en/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow
 * @see https://docs.github.com/en/rest/actions/artifacts#download-an-artifact
 */
export async function artifactBase(query: ArtifactQuery): Promise<ArtifactBase> {
  const { octokit, context, runId, artifact, key, suite } = query;
  const { owner, repo, baseRef } = context;
  if (baseRef === undefined) return { why: "no base branch to compare with" };
  try {
    const workflow = await workflowOf(octokit, context, runId);
    const { data } = await octokit.rest.actions.listWorkflowRuns({
      owner,
      repo,
      workflow_id: workflow,
      branch: baseRef,
      status: "success",
      per_page: 30,
    });
    const runs = data.workflow_runs
      .filter(
        (run) =>
          run.id !== runId && !UNTRUSTED_EVENTS.has(run.event) && run.head_repository?.full_name === `${owner}/${repo}`,
      )
      .slice(0, MAX_RUNS);
    for (const run of runs) {
      const { data: found } = await octokit.rest.actions.listWorkflowRunArtifacts({
        owner,
        repo,
        run_id: run.id,
        name: artifact,
        per_page: 10,
      });
      const item = found.artifacts.find((a) => a.name === artifact && !a.expired);
      if (item === undefined) continue;
      if (item.size_in_bytes > MAX_ARTIFACT_BYTES)
        return {
          why: `the artifact \`${artifact}\` of run ${run.id} is ${item.size_in_bytes} bytes, over ${MAX_ARTIFACT_BYTES}`,
        };
      const zip = await octokit.rest.actions.downloadArtifact({
        owner,
        repo,
        artifact_id: item.id,
        archive_format: "zip",
      });
      const profile = profileIn(new Uint8Array(zip.data as ArrayBuffer), key);
      const from = `the last run on \`${baseRef}\` ([#${run.run_number}](${run.html_url}), artifact \`${artifact}\`)`;
      if (profile === undefined) return { why: `${from} has no \`${key}/profile.json\`` };
      if (!sameSuite(profile.test_suite, suite))
        return { why: `${from} is of another suite (\`${profile.test_suite}\`)` };
      return { profile, from };
    }
    return { why: `no successful run of \`${workflow}\` on \`${baseRef}\` uploaded the artifact \`${artifact}\` yet` };
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 401)
      return {
        why: "the token may not read this repository's Actions artifacts: give the job `permissions: actions: read`",
      };
    core.debug(`agtest: base artifact: ${messageOf(error)}`);
    return {
      why: `cannot read the base branch's runs (${status ? `${status} ` : ""}${messageOf(error).split("\n")[0]})`,
    };
  }
}

/**
 * This run's workflow: the file name in `GITHUB_WORKFLOW_REF` (`owner/repo/.github/workflows/x.yml@ref`),
 * which the REST API takes as a workflow id, else the run's own `workflow_id`.
 */
async function workflowOf(octokit: Octokit, context: RunContext, runId: number): Promise<string | number> {
  const ref = process.env.GITHUB_WORKFLOW_REF ?? "";
  const file = /\/\.github\/workflows\/([^/@]+)@/.exec(ref)?.[1];
  if (file) return file;
  const { data } = await octokit.rest.actions.getWorkflowRun({
    owner: context.owner,
    repo: context.repo,
    run_id: runId,
  });
  return data.workflow_id;
}

/** `KEY/profile.json` (or `profile.json` at the top) in a zip, parsed; only that file is inflated. */
export function profileIn(zip: Uint8Array, key: string): InteropProfile | undefined {
  const names = [`${key}/profile.json`, "profile.json"];
  const files = unzipSync(zip, { filter: (file) => names.includes(file.name) && file.originalSize <= 4 * 1024 * 1024 });
  for (const name of names) {
    const bytes = files[name];
    if (bytes === undefined) continue;
    try {
      return parseProfile(JSON.parse(new TextDecoder().decode(bytes)));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Whether two suite URIs (`urn:agtest:suite:<id>:<version>`) name versions of one suite. */
export function sameSuite(a: string, b: string): boolean {
  const id = (uri: string) => uri.slice(0, uri.lastIndexOf(":"));
  return id(a) === id(b) && id(a) !== "";
}
