import { setMaxListeners } from "node:events";
import { readFile, writeFile } from "node:fs/promises";
import {
  AgentUnreachable,
  BackchannelBroken,
  BackchannelLies,
  DEFAULT_LANES,
  DEFAULT_SILENCE_FLOOR_MS,
  DEFAULT_TEST_TIMEOUT,
  RunAborted,
  junitReport,
  markdownReport,
  gate,
  gateLines,
  messageBackchannel,
  parseProfile,
  profileJson,
  runSuite,
  type InteropProfile,
  tableReport,
  type ProgressEvent,
  type RunOptions,
  type RunReport,
  unclaimUnsupported,
} from "../../core/index.js";
import { parseCommand } from "../args.js";
import type { RunConfig, Sources } from "../config.js";
import { CliError, EXIT, type ExitCode } from "../exit.js";
import type { Io } from "../io.js";
import { progressDisplay } from "../progress.js";
import { loadSuite } from "../suites.js";
import { openBackchannel, openTarget, type Target } from "./open.js";
import { RUN_FLAGS, checkFeatures, checkKnown, checkSelection, resolveRunConfig } from "./run-options.js";
import { RUN_HELP } from "./run-help.js";

/** `agtest run`: runs a suite against an agent, prints the report, writes the profile. */
export async function runCommand(argv: string[], io: Io): Promise<ExitCode> {
  const { values } = parseCommand("run", argv, RUN_FLAGS);
  if (values.help) {
    io.out(RUN_HELP);
    return EXIT.ok;
  }
  const { config, sources } = resolveRunConfig(values);
  // Read before the run: a bad --base fails at once, not after the suite.
  const base = config.base === undefined ? undefined : await readBase(config.base, sources.base);
  const controller = new AbortController();
  // Every lane's waits listen to it at once: more than Node's default of 10 is expected.
  setMaxListeners(64, controller.signal);
  const interrupt = () => controller.abort();
  process.once("SIGINT", interrupt);
  const progress = progressDisplay(io.progress);
  let report: RunReport;
  try {
    report = await executeRun(config, sources, { onProgress: progress.onProgress, signal: controller.signal });
  } finally {
    progress.done();
    process.off("SIGINT", interrupt);
  }
  await writeOutputs(report, config);
  const verdict = gate(report, { failOn: config["fail-on"] ?? "divergent", base, known: config.known });
  io.out(config.format === "json" ? profileJson(report) : tableReport(report));
  for (const line of gateLines(verdict)) io.err(line);
  return verdict.tripped ? EXIT.policy : EXIT.ok;
}

/** The `--base` profile (a previous run's `--out`); unreadable is a usage error naming the key. */
async function readBase(path: string, source: "config" | "flag" | undefined): Promise<InteropProfile> {
  const key = source === "config" ? "config.base" : "--base";
  try {
    return parseProfile(JSON.parse(await readFile(path, "utf8")));
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code ?? (error instanceof SyntaxError ? "not JSON" : "not an interop profile");
    throw new CliError(`${key}: cannot read the base profile ${path} (${why})`);
  }
}

/** Options of {@link executeRun}; `open` replaces how the target is opened (default {@link openTarget}). */
export type ExecuteOptions = {
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  open?: (config: RunConfig) => Promise<Target>;
};

/**
 * `agtest run` without its command line, for programs that embed the harness (the GitHub Action):
 * loads the suite, opens the target and the backchannel the config names, runs the claimed
 * junctions and closes everything. Failures are {@link CliError}s carrying their exit code.
 */
export async function executeRun(
  config: RunConfig,
  sources: Sources,
  options: ExecuteOptions = {},
): Promise<RunReport> {
  const suite = await loadSuite(config.suite ?? "fipa", sources.suite === "config" ? "config.suite" : "--suite");
  checkFeatures(suite, config, sources);
  checkKnown(suite, config);
  const selection = checkSelection(suite, config, sources);
  const target = await (options.open ?? openTarget)(config);
  let report: RunReport;
  try {
    const backchannel = openBackchannel(config, target.channel);
    // Without a backchannel active junctions cannot run; unless claimed explicitly, leave them out.
    // ... and those `--tests` selects nothing of.
    const features =
      config.features ??
      suite.junctions
        .filter((j) => backchannel.kind !== "none" || j.side === "passive")
        .filter((j) => !selection.unselected.includes(j.id))
        .map((j) => j.id);
    // A hosted agent asked through agact messages: each junction gets a copy of its own and they
    // run side by side (a shared copy lets one junction's late traffic reach another's tests).
    const { copy } = target;
    const parallel = config.parallel ?? (copy ? DEFAULT_LANES : 1);
    let deployed = false;
    const lanes: RunOptions["lanes"] =
      copy && backchannel.kind === "message" && parallel > 1
        ? async () => {
            // The first junction takes the agent deployed already; every other one a new copy.
            if (!deployed) {
              deployed = true;
              return { channel: target.channel, backchannel, close: async () => undefined };
            }
            const lane = await copy();
            return { channel: lane.channel, backchannel: messageBackchannel(lane.channel), close: () => lane.close() };
          }
        : undefined;
    report = await runSuite(suite, {
      channel: target.channel,
      ...(lanes ? { lanes, parallel } : {}),
      backchannel,
      features,
      select: selection.select,
      subject: target.subject,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(config.timeout ? { timeout: config.timeout } : {}),
      silence: { floor: silenceFloor(config) },
    });
  } catch (error) {
    throw asCliError(error);
  } finally {
    await target.close().catch(() => undefined);
  }
  // Not claimed explicitly: an agent with no agact vocabulary has its active junctions not run.
  if (!config.features) unclaimUnsupported(report);
  const unclaimed = config.features
    ? []
    : suite.junctions
        .filter((j) => !report.junctions.some((r) => r.junction === j.id) && !selection.unselected.includes(j.id))
        .map((j) => j.id);
  if (!config.features && selection.unselected.length > 0)
    report.notes.push(`not claimed, as --tests selects none of their tests: ${selection.unselected.join(", ")}`);
  if (unclaimed.length > 0)
    report.notes.push(
      `not claimed, as there is no backchannel to ask the agent to act (--agact, --backchannel): ${unclaimed.join(", ")}`,
    );
  return report;
}

/**
 * The adaptive window's floor: `--silence`, else the default scaled by how much longer than the
 * default budget `--timeout` makes each test (a slow transport is slow at staying silent too).
 */
export function silenceFloor(config: Pick<RunConfig, "silence" | "timeout">): number {
  if (config.silence !== undefined) return config.silence;
  const scale = config.timeout === undefined ? 1 : Math.max(1, config.timeout / DEFAULT_TEST_TIMEOUT);
  return Math.round(DEFAULT_SILENCE_FLOOR_MS * scale);
}

async function writeOutputs(
  report: RunReport,
  config: { out?: string; junit?: string; markdown?: string },
): Promise<void> {
  const outputs: [string | undefined, string, () => string][] = [
    [config.out, "--out", () => profileJson(report)],
    [config.junit, "--junit", () => junitReport(report)],
    [config.markdown, "--markdown", () => markdownReport(report)],
  ];
  for (const [path, flag, render] of outputs) {
    if (path === undefined) continue;
    try {
      await writeFile(path, render());
    } catch (error) {
      throw new CliError(`${flag}: cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
}

function asCliError(error: unknown): unknown {
  if (error instanceof BackchannelLies || error instanceof BackchannelBroken)
    return new CliError(error.message, EXIT.backchannel);
  if (error instanceof AgentUnreachable)
    return new CliError(`the agent is unreachable: ${error.message}`, EXIT.unreachable);
  if (error instanceof RunAborted) return new CliError("interrupted", EXIT.interrupted);
  return error;
}
