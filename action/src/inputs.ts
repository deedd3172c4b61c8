import * as core from "@actions/core";
import { FAIL_ON, type FailOn } from "../../harness/core/compare.js";
import { ActionError } from "./errors.js";

export type { FailOn };

/** When the pull request comment is written: every run, only when a score changed, or never. */
export type CommentMode = "always" | "changes" | "off";

const COMMENT_MODES: readonly CommentMode[] = ["always", "changes", "off"];

/** The action's inputs (action.yml), read and checked; empty inputs are absent. */
export type ActionInputs = {
  /** Harness settings with the names of `agtest run`'s flags (`fail-on` included). */
  harness: Record<string, string | string[] | undefined>;
  /** Set only when the input was given; otherwise the config file's, else `divergent`. */
  failOn?: FailOn;
  edgeUrl?: string;
  edgeToken?: string;
  baseProfile?: string;
  githubToken?: string;
  /** `comment-mode`; `comment: false` is `off`. */
  commentMode: CommentMode;
  /** The artifact holding a run's results folder, looked for on the base branch's runs. */
  baseArtifact: string;
  /** Tells apart the comments, files and stored profiles of several runs of one suite (a matrix). */
  key?: string;
  outDir?: string;
  /** Where an `agent` module runs: the embedded runtime on the runner, or the `edge-url` runtime. */
  runOn: "embedded" | "edge";
  /** A previous run's results folder whose `comment.json` to post (the fork recipe's second workflow). */
  commentFrom?: string;
};

/** Inputs passed to the harness as they are (same names as `agtest run`'s flags). */
export const HARNESS_INPUTS = [
  "suite",
  "agent",
  "endpoint",
  "name",
  "features",
  "tests",
  "skip",
  "backchannel",
  "agact",
  "config",
  "timeout",
] as const;

/**
 * Reads the inputs (`INPUT_*`, as the runner passes them). Only what the harness does not check
 * itself is checked here; its own errors name the flag, which {@link inputNames} rewrites.
 */
export function readInputs(): ActionInputs {
  const get = (name: string) => core.getInput(name) || undefined;
  const harness: Record<string, string | string[] | undefined> = {};
  for (const name of HARNESS_INPUTS) harness[name] = get(name);
  // A list input may be one per line in YAML; the harness takes commas.
  for (const list of ["features", "tests"] as const) {
    const value = harness[list];
    if (typeof value === "string")
      harness[list] = value
        .split(/[\n,]/)
        .map((f) => f.trim())
        .filter(Boolean)
        .join(",");
  }
  // One `GLOB=REASON` per line, as repeated --skip flags (a reason may hold commas).
  const skip = harness.skip;
  if (typeof skip === "string")
    harness.skip = skip
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
  const failOn = get("fail-on");
  if (failOn !== undefined && !FAIL_ON.includes(failOn as FailOn))
    throw new ActionError(`input \`fail-on\`: expected one of ${FAIL_ON.join(", ")}, got "${failOn}"`);
  const edgeUrl = get("edge-url")?.replace(/\/+$/, "");
  if (edgeUrl !== undefined && !(/^https?:\/\//i.test(edgeUrl) && URL.canParse(edgeUrl)))
    throw new ActionError(`input \`edge-url\`: expected an http(s) URL, got "${edgeUrl}"`);
  const key = get("key");
  if (key !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(key))
    throw new ActionError(`input \`key\`: letters, digits, ".", "_" and "-" only (at most 64), got "${key}"`);
  const runOn = get("run-on") ?? "embedded";
  if (runOn !== "embedded" && runOn !== "edge")
    throw new ActionError(`input \`run-on\`: expected embedded or edge, got "${runOn}"`);
  const mode = get("comment-mode") ?? "always";
  if (!COMMENT_MODES.includes(mode as CommentMode))
    throw new ActionError(`input \`comment-mode\`: expected one of ${COMMENT_MODES.join(", ")}, got "${mode}"`);
  const commentMode = booleanInput("comment", true) ? (mode as CommentMode) : "off";
  const baseArtifact = get("base-artifact") ?? "agtest-results";
  const inputs: ActionInputs = { harness, runOn, commentMode, baseArtifact };
  if (failOn !== undefined) inputs.failOn = failOn as FailOn;
  if (failOn !== undefined) harness["fail-on"] = failOn;
  const optional = {
    edgeUrl,
    edgeToken: get("edge-token"),
    baseProfile: get("base-profile"),
    githubToken: get("github-token"),
    key,
    outDir: get("out-dir"),
    commentFrom: get("comment-from"),
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) Object.assign(inputs, { [k]: v });
  return inputs;
}

/** `true`/`false` in any of YAML 1.2's spellings; the default when empty. */
function booleanInput(name: string, fallback: boolean): boolean {
  const raw = core.getInput(name);
  if (raw === "") return fallback;
  if (/^(true|True|TRUE)$/.test(raw)) return true;
  if (/^(false|False|FALSE)$/.test(raw)) return false;
  throw new ActionError(`input \`${name}\`: expected true or false, got "${raw}"`);
}

/** Rewrites the harness's flag names (`--features: ...`) to the action's input names. */
export function inputNames(message: string): string {
  const names = [...HARNESS_INPUTS, "fail-on"].join("|");
  return message.replace(new RegExp(`--(${names})\\b`, "g"), "input `$1`").replace(/\nSee: agtest run --help/g, "");
}
