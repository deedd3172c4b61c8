import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { RunConfigSchema, mergeConfig, readConfigFile, validateFlags } from "../../harness/node/config.js";
import { CliError } from "../../harness/node/exit.js";

/**
 * Fuzzing the harness's config loader (fast-check, fixed seeds): any file, any value, yields a
 * config or a CliError naming the key — never another exception, never a hang.
 */

const dir = mkdtempSync(join(tmpdir(), "agtest-fuzz-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** Runs `f` within `ms`; a CliError is a clean refusal, anything else fails the property. */
function judged<T>(f: () => T, ms = 1000): T | CliError {
  const t0 = performance.now();
  try {
    return f();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw new Error(`not a CliError: ${String(error)}`, { cause: error });
  } finally {
    expect(performance.now() - t0).toBeLessThan(ms);
  }
}

function fileWith(content: string | Uint8Array): string {
  const path = join(dir, `config-${files++}.json`);
  writeFileSync(path, content);
  return path;
}

const KEYS = Object.keys(RunConfigSchema.shape);
/** Values of every JSON type, and strings that look like what the keys want. */
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    "http://127.0.0.1:8787",
    "https://x",
    "ftp://nope",
    "message",
    "none",
    "divergent",
    "constrained",
    "never",
    "table",
    "json",
    "./agact.sh",
    "",
    " ",
  ),
  fc.integer(),
  fc.double(),
  fc.array(fc.string(), { maxLength: 3 }),
);
/** Objects with the real keys (and near misses) holding any values. */
const configish = fc.dictionary(
  fc.oneof(
    fc.constantFrom(...KEYS),
    fc.constantFrom("feature", "Suite", "fail_on", "__proto__", "constructor"),
    fc.string(),
  ),
  value,
  { maxKeys: 8 },
);

describe("fuzz: the config loader (harness/node/config.ts)", () => {
  it("any bytes as a config file: a config or a CliError", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.string({ unit: "binary", maxLength: 200 }).map((s) => new TextEncoder().encode(s)),
        ),
        (bytes) => {
          judged(() => readConfigFile(fileWith(bytes)));
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it("any JSON value as a config file: a config, or a CliError that names a key or says it is not JSON", () => {
    fc.assert(
      fc.property(fc.oneof(configish, fc.jsonValue({ maxDepth: 3 })), (json) => {
        const result = judged(() => readConfigFile(fileWith(JSON.stringify(json) ?? "null")));
        if (result instanceof CliError) expect(result.message).toMatch(/^(config|--config)/m);
        else expect(RunConfigSchema.safeParse(result).success).toBe(true);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it("any flags object: a config or a CliError naming the flag; merging never throws", () => {
    fc.assert(
      fc.property(configish, configish, (flags, file) => {
        const checked = judged(() => validateFlags(flags));
        if (checked instanceof CliError) {
          expect(checked.message).toMatch(/^(--|flags)/m);
          return;
        }
        const base = judged(() => validateFlags(file));
        if (!(base instanceof CliError)) expect(() => mergeConfig(base, checked)).not.toThrow();
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it("a huge file (32 MiB of garbage, sparse) and a missing file are clean errors too", () => {
    const huge = fileWith("{");
    truncateSync(huge, 32 * 1024 * 1024);
    expect(judged(() => readConfigFile(huge), 5000)).toBeInstanceOf(CliError);
    expect(judged(() => readConfigFile(join(dir, "missing.json")))).toBeInstanceOf(CliError);
    expect(judged(() => readConfigFile(dir))).toBeInstanceOf(CliError); // a directory
  });
});
