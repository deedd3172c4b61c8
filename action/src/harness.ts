import * as core from "@actions/core";
import type { ProgressEvent, RunReport } from "../../harness/core/index.js";
import type { Gate } from "../../harness/core/compare.js";
import { executeRun, type ExecuteOptions } from "../../harness/node/commands/run.js";
import { resolveRunConfig } from "../../harness/node/commands/run-options.js";
import type { RunConfig } from "../../harness/node/config.js";
import { CliError } from "../../harness/node/exit.js";
import type { Edge } from "./edge.js";
import { openEdgeTarget } from "./edge-target.js";
import { ActionError } from "./errors.js";
import { inputNames, type ActionInputs, type FailOn } from "./inputs.js";
import { ensureRuntime } from "./provision.js";

/** A finished run: the report and the settings it ran with. */
export type HarnessRun = { report: RunReport; config: RunConfig; failOn: FailOn };

/**
 * Runs the suite in this process with the harness's own code (`agtest run` without its command
 * line): inputs are the flags, a `config` file adds to them, and errors name the input.
 */
export async function runHarness(
  inputs: ActionInputs,
  signal: AbortSignal,
  edge: Edge | undefined,
  run: { id: number; attempt: number },
): Promise<HarnessRun> {
  const values = inputs.harness;
  if (!values.agent && !values.endpoint && !values.config) {
    throw new ActionError(
      "say which agent to test: input `agent` (a .wasm file, run on the embedded runtime on this runner), `endpoint` (an agent's HTTP URL) or a `config` file; or `comment-from` to post a previous run's comment",
    );
  }
  try {
    const { config, sources } = resolveRunConfig(values);
    let open: ExecuteOptions["open"];
    if (inputs.runOn === "edge") {
      if (edge === undefined || !config.agent)
        throw new ActionError("input `run-on: edge` needs `agent`, `edge-url` and `edge-token`");
      const wasm = config.agent;
      open = () => openEdgeTarget(edge, wasm, run);
    } else if (config.agent) {
      await ensureRuntime();
    }
    const report = await executeRun(config, sources, { onProgress: logProgress, signal, ...(open ? { open } : {}) });
    const failOn = inputs.failOn ?? config["fail-on"] ?? "divergent";
    return { report, config, failOn };
  } catch (error) {
    if (error instanceof CliError) throw new ActionError(inputNames(error.message));
    throw error;
  }
}

/** Which claimed junctions tripped the policy, and why. */
export function policyMessage(verdict: Gate): string {
  const { failures, failOn } = verdict;
  const what = failOn === "regression" ? "regressed against the base" : `scored below \`fail-on: ${failOn}\``;
  const list = failures.map((f) =>
    failOn === "regression" ? `${f.junction} (${f.why}, now ${f.score})` : `${f.junction} (${f.score})`,
  );
  return `${failures.length} claimed junction${failures.length === 1 ? "" : "s"} ${what}: ${list.join(", ")}`;
}

/** One log line per finished test (the runner's log is not a terminal). */
function logProgress(event: ProgressEvent): void {
  if (event.type === "start")
    core.info(`agtest: running ${event.total} tests: ${event.junctions.join(", ") || "no junctions"}`);
  if (event.type === "test-end")
    core.info(`${event.result.status.padEnd(5)} ${event.result.test} (${event.result.ms} ms)`);
}
