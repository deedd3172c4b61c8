import { CliError } from "../exit.js";
import { keyName, mergeConfig, readConfigFile, validateFlags, type RunConfig, type Sources } from "../config.js";
import { didYouMean } from "../hints.js";
import { selectTests, type Selection, type Suite } from "../../core/index.js";

/** The flags of `agtest run` (for `util.parseArgs`). */
export const RUN_FLAGS = {
  suite: { type: "string" },
  agent: { type: "string" },
  name: { type: "string" },
  endpoint: { type: "string" },
  outbox: { type: "string" },
  inbox: { type: "string" },
  self: { type: "string" },
  relay: { type: "string" },
  "relay-token": { type: "string" },
  features: { type: "string" },
  tests: { type: "string" },
  skip: { type: "string", multiple: true },
  agact: { type: "string" },
  backchannel: { type: "string" },
  config: { type: "string" },
  out: { type: "string" },
  junit: { type: "string" },
  markdown: { type: "string" },
  format: { type: "string" },
  "fail-on": { type: "string" },
  base: { type: "string" },
  timeout: { type: "string" },
  silence: { type: "string" },
  parallel: { type: "string" },
  "fresh-isolates": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Flag values in config shape: `--features a,b` -> `["a","b"]`, `--timeout 500` -> 500. */
export function flagsToConfig(values: Record<string, string | boolean | string[] | undefined>): RunConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key === "config" || key === "help" || value === undefined) continue;
    raw[key] = value;
  }
  if (typeof raw.features === "string")
    raw.features = raw.features
      .split(",")
      .map((f) => f.trim())
      .filter((f) => f !== "");
  if (typeof raw.tests === "string")
    raw.tests = raw.tests
      .split(",")
      .map((g) => g.trim())
      .filter((g) => g !== "");
  if (Array.isArray(raw.skip)) raw.skip = skipFlags(raw.skip as string[]);
  for (const key of ["timeout", "silence", "parallel"] as const) {
    const value = raw[key];
    if (typeof value !== "string") continue;
    if (!/^\d+$/.test(value)) throw new CliError(`--${key}: expected a whole number of ms, got "${value}"`);
    raw[key] = Number(value);
  }
  return validateFlags(raw);
}

/** `--skip GLOB=REASON` (repeatable) -> `{GLOB: REASON}`; a skip without its reason is a usage error. */
function skipFlags(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const at = item.indexOf("=");
    const glob = at < 0 ? item.trim() : item.slice(0, at).trim();
    const reason = at < 0 ? "" : item.slice(at + 1).trim();
    if (glob === "" || reason === "")
      throw new CliError(`--skip: expected GLOB=REASON (say why it is skipped: it is shown in reports), got "${item}"`);
    out[glob] = reason;
  }
  return out;
}

/** The settings of a run, merged (config file, then flags) and checked against each other. */
export function resolveRunConfig(values: Record<string, string | boolean | string[] | undefined>): {
  config: RunConfig;
  sources: Sources;
} {
  const flags = flagsToConfig(values);
  const file = typeof values.config === "string" ? readConfigFile(values.config) : {};
  const merged = mergeConfig(file, flags);
  const { config } = merged;
  const name = (key: keyof RunConfig) => keyName([key], merged.sources[key] ?? "flag");
  if ((config.outbox === undefined) !== (config.inbox === undefined)) {
    throw new CliError(
      `${config.outbox === undefined ? "--outbox" : "--inbox"}: --outbox and --inbox go together (agtalk folders)`,
    );
  }
  const targets = [
    config.agent && "--agent",
    config.endpoint && !config.relay && "--endpoint",
    config.outbox && "--outbox/--inbox",
    config.relay && "--relay",
  ].filter(Boolean);
  if (targets.length === 0)
    throw new CliError(
      "run: say which agent to test: --agent FILE.wasm, --endpoint URL, --outbox DIR --inbox DIR, or --relay URL --endpoint URL\nSee: agtest run --help",
    );
  if (targets.length > 1) throw new CliError(`run: choose one agent to test, not ${targets.join(" and ")}`);
  if (config.relay && !config.endpoint)
    throw new CliError(`${name("relay")}: the relay channel sends to the agent's --endpoint URL; give one`);
  if (config.agent && config.endpoint)
    throw new CliError("run: --agent (a .wasm to host) and --endpoint (an agent elsewhere) exclude each other");
  if (config.outbox && !config.name)
    throw new CliError("--name: the agent's address is needed with --outbox/--inbox (the sender its replies carry)");
  if (config.agact && config.backchannel)
    throw new CliError(`${name("agact")}: choose one backchannel: --agact or --backchannel`);
  return merged;
}

/** Checks `known` entries name a junction or a test of the suite (a typo would excuse nothing). */
export function checkKnown(suite: Suite, config: RunConfig): void {
  const ids = [...suite.junctions.map((j) => j.id), ...suite.junctions.flatMap((j) => j.tests.map((t) => t.id))];
  for (const id of Object.keys(config.known ?? {})) {
    if (!ids.includes(id))
      throw new CliError(
        `config.known["${id}"]: no junction or test of suite ${suite.id} has this id${didYouMean(id, ids)}`,
      );
  }
}

/** Checks claimed junctions against the suite; errors name the key (`config.features[2]`). */
export function checkFeatures(suite: Suite, config: RunConfig, sources: Sources): void {
  const known = suite.junctions.map((j) => j.id);
  for (const [index, feature] of (config.features ?? []).entries()) {
    if (known.includes(feature)) continue;
    const key = sources.features === "config" ? `config.features[${index}]` : "--features";
    throw new CliError(
      `${key}: unknown junction "${feature}"${didYouMean(feature, known)}; suite ${suite.id} has ${known.join(", ")}`,
    );
  }
}

/**
 * `--tests` and `--skip` against the suite: a glob that matches no test is a usage error (a typo
 * would run or excuse nothing), and so is a claimed junction `--tests` selects no test of.
 */
export function checkSelection(suite: Suite, config: RunConfig, sources: Sources): Selection {
  const selection = selectTests(suite, { tests: config.tests, skip: config.skip });
  const ids = suite.tests.map((t) => t.id);
  for (const { key, glob } of selection.unmatched) {
    const name = sources[key] === "config" ? (key === "skip" ? `config.skip["${glob}"]` : "config.tests") : `--${key}`;
    throw new CliError(
      `${name}: "${glob}" matches no test of suite ${suite.id}${didYouMean(glob, ids)} (* is any characters, ? one; see agtest suites)`,
    );
  }
  for (const feature of config.features ?? []) {
    if (selection.unselected.includes(feature))
      throw new CliError(
        `--tests: selects no test of claimed junction ${feature}; claim it or select some of its tests`,
      );
  }
  return selection;
}
