import { readFile, writeFile } from "node:fs/promises";
import { type InteropProfile, parseProfile, toProfile } from "../../core/index.js";
import { type PairReport, type PairScenario, pairTable } from "../../core/pair/index.js";
import { agentNameOf } from "../channels/embedded.js";
import { CliError, EXIT, type ExitCode } from "../exit.js";
import { optionLines } from "../flags.js";
import { didYouMean } from "../hints.js";
import type { Io } from "../io.js";
import { type PairAgent, runPairs } from "../pair/run.js";
import { type AgentSpec, PAIR_FLAGS, type PairSettings, settingsOf } from "../pair/settings.js";
import { loadSuite } from "../suites.js";
import { executeRun } from "./run.js";

/** `agtest pair --help`: the option lines come from the flag table (`PAIR_FLAGS`). */
export const PAIR_HELP = `agtest pair — who works with whom: every protocol scenario between every two agents

Usage: agtest pair A.wasm B.wasm [C.wasm ...] [options]
       agtest pair --config pair.json [options]

Starts the edge runtime in this process, deploys each agent, and for each protocol scenario of
the suite (fipa: fipa-request, fipa-query, fipa-contract-net) asks every agent in turn, through
its agact backchannel, to open a conversation with every agent (itself included, as a second
copy). The exchange is read back from the runtime's conversation log and every message checked
against the protocol state machines; the runtime's quiescence route says when it is over.

Each cell of the matrix (initiator x participant) reads:
  works          the conversation ended as the scenario hopes, breaking no rule
  fails: RULE    a message broke protocol rule RULE (after-done, out-of-order, late...), or the
                 exchange ended otherwise (not-understood, refused, unfinished, no-opening...)
  unsupported    the initiator answered agact 127, or the role fails against every partner
                 without breaking a rule (QUIC interop runner style); a role that breaks a rule
                 is never hidden this way

Options:
${optionLines(PAIR_FLAGS)}

An agent is FILE.wasm or NAME=FILE.wasm (its name in the report; default from the file name).

Exit codes:
  0    every pair works or is unsupported
  1    some pair fails
  2    usage or config error
  3    the embedded runtime would not start, it refused an agent, or --post failed
  70   internal error in agtest
`;

/** Suites that offer pair scenarios, by id (loaded on demand, like the suites themselves). */
async function pairScenarios(id: string): Promise<readonly PairScenario[] | undefined> {
  if (id === "fipa") return (await import("../../../suites/fipa/pairs.js")).FIPA_PAIRS;
  return undefined;
}

/** Stores the report on a runtime (`POST /v1/pairs`) and returns the dashboard page's URL. */
export async function postReport(target: { url: string; token: string }, json: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`${target.url}/v1/pairs`, {
      method: "POST",
      headers: { authorization: `Bearer ${target.token}`, "content-type": "application/json" },
      body: json,
    });
  } catch (error) {
    throw new CliError(
      `--post: cannot reach ${target.url} (${error instanceof Error ? error.message : String(error)})`,
      EXIT.unreachable,
    );
  }
  const body = (await res.json().catch(() => ({}))) as { url?: string; error?: { code?: string; message?: string } };
  if (res.status !== 201 || typeof body.url !== "string")
    throw new CliError(
      `--post: ${target.url} refused the report: HTTP ${res.status} ${body.error?.code ?? ""} ${body.error?.message ?? ""}`.trim(),
      EXIT.unreachable,
    );
  return `${target.url}${body.url}`;
}

async function loadAgents(specs: AgentSpec[]): Promise<PairAgent[]> {
  const agents: PairAgent[] = [];
  for (const spec of specs) {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = new Uint8Array(await readFile(spec.file));
    } catch (error) {
      throw new CliError(
        `${spec.key}: cannot read ${spec.file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
    const name = spec.name ?? agentNameOf(spec.file);
    if (!/^[a-z0-9][a-z0-9-_.]{0,57}$/.test(name))
      throw new CliError(`${spec.key}: "${name}" is not a usable agent name (a-z, 0-9, - _ ., at most 58 characters)`);
    const twin = agents.find((a) => a.name === name);
    if (twin)
      throw new CliError(
        `${spec.key}: two agents are named "${name}" (${twin.file} and ${spec.file}); name one: NAME=${spec.file}`,
      );
    const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    const digest = `sha256-${Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("")}`;
    agents.push({ name, file: spec.file, bytes, digest });
  }
  return agents;
}

/** Oracle profiles by agent: the files given (matched by digest, then name), then `--oracle` runs. */
async function oracleProfiles(
  settings: PairSettings,
  agents: PairAgent[],
  scenarios: readonly PairScenario[],
  say: (line: string) => void,
): Promise<{ sources: string[]; byAgent: Map<string, InteropProfile> } | null> {
  if (settings.profiles.length === 0 && !settings.oracle) return null;
  const byAgent = new Map<string, InteropProfile>();
  const sources: string[] = [];
  for (const { path, key } of settings.profiles) {
    let profile: InteropProfile;
    try {
      profile = parseProfile(JSON.parse(await readFile(path, "utf8")));
    } catch (error) {
      const why =
        (error as NodeJS.ErrnoException).code ?? (error instanceof SyntaxError ? "not JSON" : "not an interop profile");
      throw new CliError(`${key}: cannot read the profile ${path} (${why})`);
    }
    const subject = profile.subject as { name?: string; digest?: string } | undefined;
    const agent =
      agents.find((a) => subject?.digest !== undefined && a.digest === subject.digest) ??
      agents.find((a) => a.name === subject?.name);
    if (!agent)
      throw new CliError(`${key}: ${path} is the profile of none of these agents (subject ${JSON.stringify(subject)})`);
    byAgent.set(agent.name, profile);
    sources.push(path);
  }
  if (settings.oracle) {
    const features = [...new Set(scenarios.flatMap((s) => [s.junctions.initiator, s.junctions.participant]))];
    for (const agent of agents) {
      if (byAgent.has(agent.name)) continue;
      say(`oracle: agtest run ${agent.file} (${features.join(", ")})`);
      const report = await executeRun({ agent: agent.file, name: agent.name, suite: settings.suite, features }, {});
      byAgent.set(agent.name, toProfile(report));
      sources.push(`agtest run ${agent.file}`);
    }
  }
  return { sources, byAgent };
}

/** Options of {@link executePair}. */
export type ExecutePairOptions = { onProgress?: (line: string) => void; signal?: AbortSignal };

/**
 * `agtest pair` without its command line, for programs that embed the harness (the action):
 * checks the suite and protocols, reads the agents and oracle profiles, runs the matrix.
 * Failures are {@link CliError}s carrying their exit code.
 */
export async function executePair(settings: PairSettings, options: ExecutePairOptions = {}): Promise<PairReport> {
  const suite = await loadSuite(settings.suite);
  const all = await pairScenarios(settings.suite);
  if (!all) throw new CliError(`--suite: suite ${settings.suite} defines no pair scenarios (fipa does)`);
  const known = all.map((s) => s.protocol as string);
  for (const p of settings.protocols ?? [])
    if (!known.includes(p))
      throw new CliError(`--protocols: unknown protocol "${p}"${didYouMean(p, known)}; known: ${known.join(", ")}`);
  const scenarios = settings.protocols ? all.filter((s) => settings.protocols?.includes(s.protocol)) : all;
  const agents = await loadAgents(settings.agents);
  const say = options.onProgress ?? (() => undefined);
  const profiles = await oracleProfiles(settings, agents, scenarios, say);
  try {
    return await runPairs({
      agents,
      suite: suite.uri,
      scenarios,
      timeout: settings.timeout,
      profiles,
      onProgress: say,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw new CliError("interrupted", EXIT.interrupted);
    throw error;
  }
}

/** Whether some pair of the report fails (exit 1, the action's failed step). */
export function pairFails(report: PairReport): boolean {
  return report.protocols.some((m) => m.cells.some((c) => c.outcome.verdict === "fails"));
}

/** `agtest pair`: the initiator × participant matrix of every protocol scenario of a suite. */
export async function pairCommand(argv: string[], io: Io): Promise<ExitCode> {
  const settings = await settingsOf(argv);
  if (settings === "help") {
    io.out(PAIR_HELP);
    return EXIT.ok;
  }
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once("SIGINT", interrupt);
  let report: PairReport;
  try {
    report = await executePair(settings, { signal: controller.signal, onProgress: (line) => io.err(`${line}\n`) });
  } finally {
    process.off("SIGINT", interrupt);
  }
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (settings.out !== undefined) {
    try {
      await writeFile(settings.out, json);
    } catch (error) {
      throw new CliError(
        `--out: cannot write ${settings.out} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
  }
  if (settings.post !== undefined) io.err(`agtest pair: stored at ${await postReport(settings.post, json)}\n`);
  io.out(settings.json ? json : pairTable(report));
  return pairFails(report) ? EXIT.policy : EXIT.ok;
}
