import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as core from "@actions/core";
import { type PairReport, pairMarkdown } from "../../harness/core/pair/index.js";
import { executePair, pairFails, postReport } from "../../harness/node/commands/pair.js";
import { CliError } from "../../harness/node/exit.js";
import { ActionError } from "./errors.js";
import type { ActionInputs } from "./inputs.js";
import { ensureRuntime } from "./provision.js";

/** What the `pair` input did: the report, where it was written, and whether some pair fails. */
export type PairOutcome = { report: PairReport; file: string; markdown: string; fails: boolean };

/**
 * The `pair` input: `agtest pair` over the modules on the embedded runtime; `pair.json` and
 * `pair.md` in the results folder; the report posted to `edge-url` when the action has one.
 */
export async function runPair(
  inputs: ActionInputs & { pair: string[] },
  signal: AbortSignal,
  edge: { url: string; token: string } | undefined,
): Promise<PairOutcome> {
  await ensureRuntime();
  // The harness inputs may be lists now (several suites); the pair matrix runs one suite.
  const suite = [inputs.harness.suite].flat()[0] ?? "fipa";
  const timeout = [inputs.harness.timeout].flat()[0];
  let report: PairReport;
  try {
    report = await executePair(
      {
        agents: inputs.pair.map((file, i) => ({ file, key: `input \`pair\` (${i + 1}: ${file})` })),
        suite,
        timeout: timeout ? Number(timeout) : 10_000,
        profiles: [],
        oracle: false,
        json: false,
      },
      { signal, onProgress: (line) => core.info(`agtest pair: ${line}`) },
    );
  } catch (error) {
    if (error instanceof CliError) throw new ActionError(error.message.replace(/--suite\b/g, "input `suite`"));
    throw error;
  }
  const dir = inputs.outDir ?? "agtest-results/pair";
  await mkdir(dir, { recursive: true });
  const file = join(dir, "pair.json");
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const markdown = pairMarkdown(report);
  await writeFile(file, json);
  await writeFile(join(dir, "pair.md"), markdown);
  if (edge) {
    try {
      core.info(`agtest pair: stored at ${await postReport(edge, json)}`);
    } catch (error) {
      core.warning(`agtest pair: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { report, file, markdown, fails: pairFails(report) };
}
