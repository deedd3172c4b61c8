import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseCommand } from "../args.js";
import { CliError } from "../exit.js";
import type { Flag } from "../flags.js";
import { didYouMean } from "../hints.js";

/** The flags of `agtest pair`, for `util.parseArgs` and for `--help` (`PAIR_HELP`), in the help's order. */
export const PAIR_FLAGS = {
  suite: { type: "string", value: "ID", help: "suite whose scenarios to run (default fipa)" },
  protocols: {
    type: "string",
    value: "LIST",
    help: "only these protocols (comma-separated), e.g. fipa-request,fipa-query",
  },
  json: { type: "boolean", help: "print the report as JSON instead of the table" },
  out: { type: "string", value: "FILE", help: "also write the JSON report to FILE" },
  post: {
    type: "string",
    value: "URL",
    help: "also store the report on the agtest runtime at URL (POST /v1/pairs; its dashboard shows it at /pairs), with --token or AGTEST_TOKEN",
  },
  token: { type: "string", value: "TOKEN", help: "the runtime's bearer token for --post" },
  timeout: { type: "string", value: "MS", help: "how long one exchange may take to fall quiet (default 10000)" },
  profile: {
    type: "string",
    multiple: true,
    value: "FILE",
    help: "an interop profile (agtest run --out) of one of the agents, for the oracle cross-check (repeatable; matched by subject digest, then name)",
  },
  oracle: {
    type: "boolean",
    help: "run the suite's junctions of these protocols against each agent first (agtest run) and cross-check: a pair that fails although both roles score interoperable is reported",
  },
  config: {
    type: "string",
    value: "FILE",
    help: 'JSON: {"agents": ["a.wasm", {"file": "b.wasm", "name": "bee"}], "suite", "protocols", "timeout", "profiles": [FILE...], "oracle"}; paths relative to the file; flags override it',
  },
  help: { type: "boolean", short: "h", help: "show this help" },
} as const satisfies Record<string, Flag>;

/** An agent as given: its file, its name if given, and how to name it in errors. */
export type AgentSpec = { file: string; name?: string; key: string };

/** The pair settings: the config file's, then the flags'. */
export type PairSettings = {
  agents: AgentSpec[];
  suite: string;
  protocols?: string[];
  timeout: number;
  profiles: { path: string; key: string }[];
  oracle: boolean;
  json: boolean;
  out?: string;
  post?: { url: string; token: string };
};

function fromConfig(path: string, text: string): Partial<PairSettings> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new CliError(`--config: ${path} is not JSON`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new CliError(`--config: ${path} must hold a JSON object`);
  const base = dirname(path);
  const config = raw as Record<string, unknown>;
  const known = ["agents", "suite", "protocols", "timeout", "profiles", "oracle"];
  for (const key of Object.keys(config))
    if (!known.includes(key))
      throw new CliError(`config.${key}: unknown key${didYouMean(key, known)}; known: ${known.join(", ")}`);
  const out: Partial<PairSettings> = {};
  if (config.agents !== undefined) {
    if (!Array.isArray(config.agents)) throw new CliError("config.agents: expected an array of files or {file, name}");
    out.agents = config.agents.map((entry: unknown, i): AgentSpec => {
      const key = `config.agents[${i}]`;
      if (typeof entry === "string") return { file: resolve(base, entry), key };
      const e = entry as { file?: unknown; name?: unknown } | null;
      if (typeof e?.file !== "string" || (e.name !== undefined && typeof e.name !== "string"))
        throw new CliError(`${key}: expected a file path or {"file": PATH, "name"?: NAME}`);
      return { file: resolve(base, e.file), ...(typeof e.name === "string" ? { name: e.name } : {}), key };
    });
  }
  if (config.suite !== undefined) {
    if (typeof config.suite !== "string") throw new CliError("config.suite: expected a suite id");
    out.suite = config.suite;
  }
  if (config.protocols !== undefined) {
    if (!Array.isArray(config.protocols) || !config.protocols.every((p) => typeof p === "string"))
      throw new CliError("config.protocols: expected an array of protocol names");
    out.protocols = config.protocols as string[];
  }
  if (config.timeout !== undefined) {
    if (!Number.isInteger(config.timeout) || (config.timeout as number) < 1)
      throw new CliError("config.timeout: expected a whole number of ms");
    out.timeout = config.timeout as number;
  }
  if (config.profiles !== undefined) {
    if (!Array.isArray(config.profiles) || !config.profiles.every((p) => typeof p === "string"))
      throw new CliError("config.profiles: expected an array of profile files");
    out.profiles = (config.profiles as string[]).map((p, i) => ({
      path: resolve(base, p),
      key: `config.profiles[${i}]`,
    }));
  }
  if (config.oracle !== undefined) {
    if (typeof config.oracle !== "boolean") throw new CliError("config.oracle: expected true or false");
    out.oracle = config.oracle;
  }
  return out;
}

function agentArg(arg: string, index: number): AgentSpec {
  const eq = arg.indexOf("=");
  const key = `agent ${index + 1} (${arg})`;
  if (eq > 0 && !arg.slice(0, eq).includes("/")) return { name: arg.slice(0, eq), file: arg.slice(eq + 1), key };
  return { file: arg, key };
}

/** The settings of `agtest pair`, from `--config` and the flags, checked; `help` for --help. */
export async function settingsOf(argv: string[]): Promise<PairSettings | "help"> {
  const { values, positionals } = parseCommand("pair", argv, PAIR_FLAGS, true);
  if (values.help) return "help";
  let file: Partial<PairSettings> = {};
  if (values.config !== undefined) {
    let text: string;
    try {
      text = await readFile(values.config, "utf8");
    } catch (error) {
      throw new CliError(
        `--config: cannot read ${values.config} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
    file = fromConfig(values.config, text);
  }
  let timeout = file.timeout ?? 10_000;
  if (values.timeout !== undefined) {
    if (!/^\d+$/.test(values.timeout) || Number(values.timeout) < 1)
      throw new CliError(`--timeout: expected a whole number of ms, got "${values.timeout}"`);
    timeout = Number(values.timeout);
  }
  const agents = positionals.length > 0 ? positionals.map(agentArg) : (file.agents ?? []);
  if (agents.length < 2)
    throw new CliError("pair: give at least two agents (A.wasm B.wasm ...), or config.agents\nSee: agtest pair --help");
  return {
    agents,
    suite: values.suite ?? file.suite ?? "fipa",
    ...(values.protocols !== undefined
      ? {
          protocols: values.protocols
            .split(",")
            .map((p) => p.trim())
            .filter((p) => p !== ""),
        }
      : file.protocols
        ? { protocols: file.protocols }
        : {}),
    timeout,
    profiles: values.profile ? values.profile.map((path) => ({ path, key: "--profile" })) : (file.profiles ?? []),
    oracle: values.oracle ?? file.oracle ?? false,
    json: values.json === true,
    ...(values.out !== undefined ? { out: values.out } : {}),
    ...(values.post !== undefined ? { post: postTarget(values.post, values.token) } : {}),
  };
}

function postTarget(url: string, flag: string | undefined): { url: string; token: string } {
  if (!/^https?:\/\/[^/]+/.test(url)) throw new CliError(`--post: expected the runtime's http(s) URL, got "${url}"`);
  const token = flag ?? process.env.AGTEST_TOKEN;
  if (!token) throw new CliError("--token: --post needs the runtime's bearer token (or set AGTEST_TOKEN)");
  return { url: url.replace(/\/+$/, ""), token };
}
