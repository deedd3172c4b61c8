import { CliError } from "../exit.js";
import type { Flag } from "../flags.js";
import { keyName, mergeConfig, readConfigFile, validateFlags, type RunConfig, type Sources } from "../config.js";
import { didYouMean } from "../hints.js";
import { selectTests, unknownClaim, type Selection, type Suite } from "../../core/index.js";

/**
 * The flags of `agtest run`, for `util.parseArgs` and for `--help` (`run-help.ts`), in the order
 * the help lists them.
 */
export const RUN_FLAGS = {
  agent: {
    type: "string",
    value: "FILE.wasm",
    group: "agent",
    help: "start the edge runtime in this process, deploy FILE, test it there",
  },
  "fresh-isolates": {
    type: "boolean",
    group: "agent",
    help: "with --agent: every delivery as in a new isolate, as the edge may do",
  },
  name: {
    type: "string",
    value: "NAME",
    group: "agent",
    help: "the agent's address (default: the file name for --agent, NAME of a runtime's /v1/agents/NAME/inbox for --endpoint, else the URL)",
  },
  endpoint: {
    type: "string",
    value: "URL",
    group: "agent",
    help: "the agent's HTTP endpoint; replies come in response bodies and on a loopback server given as reply_to",
  },
  outbox: {
    type: "string",
    value: "DIR",
    group: "agent",
    help: "agtalk: write messages as files here (an adapter sends them)",
  },
  inbox: { type: "string", value: "DIR", group: "agent", help: "agtalk: read messages an adapter puts here" },
  self: {
    type: "string",
    value: "ADDRESS",
    group: "agent",
    help: "the harness's own address as the agent sees it (default agtest; with agtalk, the adapter's reply URL)",
  },
  relay: {
    type: "string",
    value: "URL",
    group: "agent",
    help: "an agtest runtime whose /v1/agtalk relay receives for the harness",
  },
  "relay-token": { type: "string", value: "T", group: "agent", help: "its bearer token (default $AGTEST_TOKEN)" },
  agact: {
    type: "string",
    value: "CMD",
    group: "backchannel",
    help: "run CMD ACTION [PARAMS...]: exit 0 ok, 1 broken, 127 unsupported",
  },
  backchannel: {
    type: "string",
    value: "X",
    group: "backchannel",
    help: 'an http(s) URL (Aries-style POST URL/agent/command/agact/ACTION), "message" (agact requests sent to the agent itself, ontology agact), or "none". Default: "message" with --agent, else "none". With none, active junctions are not run (absent = divergent).',
  },
  suite: {
    type: "string",
    value: "ID|FILE",
    group: "suite",
    help: "the suite: a built-in id (default fipa; see agtest suites) or a suite file (./my-suite.mjs, .js, .ts: see docs/suites.md)",
  },
  tests: {
    type: "string",
    value: "GLOB,...",
    group: "suite",
    help: "run only tests whose id (or junction) matches (* any, ? one char)",
  },
  skip: {
    type: "string",
    multiple: true,
    value: "GLOB=REASON",
    group: "suite",
    help: 'leave matching tests out, saying why (repeatable; shown in reports; they never fail the run). Config: "skip": {"GLOB": "REASON"}',
  },
  features: {
    type: "string",
    value: "A,B",
    group: "suite",
    help: "claimed junctions, e.g. core.passive (default: every junction the backchannel allows). Unclaimed junctions are absent from the profile.",
  },
  timeout: {
    type: "string",
    value: "MS",
    group: "suite",
    help: "every test's time budget (default: each test's own, usually 5000)",
  },
  silence: {
    type: "string",
    value: "MS",
    group: "suite",
    help: "the shortest wait for \"nothing more arrives\" from an agent the runtime does not host (default 300, scaled up with --timeout); the wait is at least 4x the p99 round trip measured in the run. A hosted agent's silence is the runtime's word (quiescence), not a wait",
  },
  parallel: {
    type: "string",
    value: "N",
    group: "suite",
    help: "with --agent: run N junctions side by side, each against its own deployed copy of the agent (default 4; 1: one after the other)",
  },
  "fail-on": {
    type: "string",
    value: "P",
    group: "suite",
    help: 'exit 1 when a claimed junction is divergent (default), below interoperable ("constrained"), scores worse than in --base ("regression"), or never. Config "known": {"ID": "reason"} lists junctions or tests expected to fail: they never fail it',
  },
  base: { type: "string", value: "FILE", group: "suite", help: "a previous run's profile (--out) to compare with" },
  format: {
    type: "string",
    value: "F",
    group: "output",
    help: "table (default) or json (the profile) on stdout; progress on stderr",
  },
  out: { type: "string", value: "FILE", group: "output", help: "write the interop profile (JSON)" },
  junit: { type: "string", value: "FILE", group: "output", help: "write JUnit XML" },
  markdown: {
    type: "string",
    value: "FILE",
    group: "output",
    help: "write a Markdown summary (for a pull request comment)",
  },
  config: {
    type: "string",
    value: "FILE",
    group: "output",
    help: 'JSON config; keys are the flag names ("fail-on", "relay-token"), "features" an array; paths relative to the file; flags override',
  },
  help: { type: "boolean", short: "h", group: "output", help: "show this help" },
} as const satisfies Record<string, Flag>;

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
  const unknown = unknownClaim(suite, config.features);
  if (!unknown) return;
  const { index, feature, known } = unknown;
  const key = sources.features === "config" ? `config.features[${index}]` : "--features";
  throw new CliError(
    `${key}: unknown junction "${feature}"${didYouMean(feature, known)}; suite ${suite.id} has ${known.join(", ")}`,
  );
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
