import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as z from "zod";
import { CliError } from "./exit.js";
import { didYouMean } from "./hints.js";
import { FAIL_ON } from "../core/compare.js";

const url = (what: string) =>
  z.string().refine((s) => /^https?:\/\/\S+$/i.test(s) && URL.canParse(s), `expected ${what} as an http(s) URL`);
const text = z.string().min(1, "expected a non-empty string");

/**
 * Everything `agtest run` takes. Config file keys are the flag names (`"fail-on"`,
 * `"relay-token"`); flags override the file. Paths in a config file are relative to the file.
 */
export const RunConfigSchema = z.strictObject({
  suite: text.optional(),
  agent: text.optional(),
  name: text.optional(),
  endpoint: url("the agent's endpoint").optional(),
  outbox: text.optional(),
  inbox: text.optional(),
  self: text.optional(),
  relay: url("the relay runtime").optional(),
  "relay-token": text.optional(),
  features: z.array(text).min(1, "expected at least one junction").optional(),
  agact: z
    .union([text, z.array(text).min(1)], "expected a command (a string, or an array of program and arguments)")
    .optional(),
  backchannel: z
    .string()
    .refine(
      (s) => s === "message" || s === "none" || (/^https?:\/\/\S+$/i.test(s) && URL.canParse(s)),
      'expected "message", "none" or an http(s) URL',
    )
    .optional(),
  out: text.optional(),
  junit: text.optional(),
  markdown: text.optional(),
  format: z.enum(["table", "json"]).optional(),
  "fail-on": z.enum(FAIL_ON).optional(),
  /** A previous run's profile.json: the base of `fail-on: regression` and of the change shown. */
  base: text.optional(),
  /** Expected divergences: junction or test id -> the reason. They never fail the run. */
  known: z.record(z.string().min(1, "expected a junction or test id"), text).optional(),
  /** Test-id globs to run (`*` any characters, `?` one); a junction with none selected is not claimed. */
  tests: z.array(text).min(1, "expected at least one glob").optional(),
  /** Test-id globs to leave out -> the reason (shown in reports). They never fail the run. */
  skip: z.record(z.string().min(1, "expected a test-id glob"), text).optional(),
  timeout: z.number().int("expected a whole number of ms").positive("expected a positive number of ms").optional(),
  silence: z.number().int("expected a whole number of ms").positive("expected a positive number of ms").optional(),
  parallel: z
    .number()
    .int("expected a whole number")
    .min(1, "expected at least 1")
    .max(16, "expected at most 16")
    .optional(),
  /** With --agent: the embedded runtime runs every delivery in a new isolate (AGTEST_FRESH_ISOLATES). */
  "fresh-isolates": z.boolean().optional(),
});

/** A run's settings, validated; see {@link RunConfigSchema}. */
export type RunConfig = z.infer<typeof RunConfigSchema>;

/** Where each key came from, to name it in errors: `config.features[2]` or `--features`. */
export type Sources = Partial<Record<keyof RunConfig, "config" | "flag">>;

const PATH_KEYS = ["agent", "outbox", "inbox", "out", "junit", "markdown", "base"] as const;

/** Reads and validates a JSON config file; errors name the key (`config.features[2]: ...`). */
export function readConfigFile(path: string): RunConfig {
  let raw: string;
  try {
    raw = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`--config: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new CliError(`config: ${path} is not valid JSON (${(error as Error).message})`);
  }
  const config = validate(value, "config");
  const base = dirname(resolve(path));
  for (const key of PATH_KEYS) {
    const v = config[key];
    if (v !== undefined) config[key] = resolve(base, v);
  }
  if (typeof config.agact === "string" && /^\.{1,2}\//.test(config.agact)) config.agact = resolve(base, config.agact);
  // A suite file (not a built-in suite's id) is relative to the config file too.
  if (config.suite !== undefined && /[\\/.]/.test(config.suite)) config.suite = resolve(base, config.suite);
  return config;
}

/** Validates flags already turned into config shape; errors name the flag (`--timeout: ...`). */
export function validateFlags(value: Record<string, unknown>): RunConfig {
  return validate(value, "flag");
}

function validate(value: unknown, source: "config" | "flag"): RunConfig {
  const parsed = RunConfigSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys
        .map(
          (k) =>
            `${source === "config" ? `config.${k}` : `--${k}`}: unknown key${didYouMean(k, Object.keys(RunConfigSchema.shape))}`,
        )
        .join("\n");
    }
    return `${keyName(issue.path, source)}: ${issue.message}`;
  });
  throw new CliError(lines.join("\n"));
}

/** `config.features[2]` / `--features` for a path into the config. */
export function keyName(path: readonly PropertyKey[], source: "config" | "flag"): string {
  if (path.length === 0) return source === "config" ? "config" : "flags";
  if (source === "flag") return `--${String(path[0])}`;
  return `config${path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}`;
}

/** Config file then flags (flags win), with where each key came from. */
export function mergeConfig(file: RunConfig, flags: RunConfig): { config: RunConfig; sources: Sources } {
  const sources: Sources = {};
  for (const k of Object.keys(file) as (keyof RunConfig)[]) sources[k] = "config";
  for (const k of Object.keys(flags) as (keyof RunConfig)[]) sources[k] = "flag";
  const config = { ...file, ...flags };
  // Skips add up: the config file's known ones and one more given on the command line.
  if (file.skip && flags.skip) config.skip = { ...file.skip, ...flags.skip };
  return { config, sources };
}
