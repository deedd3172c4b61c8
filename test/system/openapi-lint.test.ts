import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalRuntime, startRuntime } from "../../worker/local/runtime.js";

/** The Redocly CLI of the devDependencies (`redocly lint`), run as a user runs it: its own process. */
const REDOCLY = join(dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")), "bin", "cli.js");

type Problem = { ruleId: string; severity: "error" | "warn"; message: string; location: { pointer?: string }[] };

let runtime: LocalRuntime;
let dir: string;

beforeAll(async () => {
  runtime = await startRuntime({ port: 0, token: "lint-token", logLevel: "none" });
  dir = mkdtempSync(join(tmpdir(), "agtest-openapi-"));
});
afterAll(async () => {
  await runtime?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the served OpenAPI document", () => {
  it("passes `redocly lint` (its recommended rules) with no error", async () => {
    const res = await fetch(`${runtime.url}/v1/openapi.json`, { headers: { authorization: "Bearer lint-token" } });
    expect(res.status).toBe(200);
    const file = join(dir, "openapi.json");
    writeFileSync(file, await res.text());
    // Offline and quiet: no telemetry, no update check (CI has no network but the registries).
    const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };
    const run = await promisify(execFile)(process.execPath, [REDOCLY, "lint", file, "--format=json"], {
      env,
      cwd: dir,
      maxBuffer: 16 << 20,
    }).catch((error: { stdout?: string; stderr?: string; code?: number }) => error);
    const report = JSON.parse(run.stdout ?? "") as {
      totals: { errors: number; warnings: number };
      problems: Problem[];
    };
    const lines = (severity: Problem["severity"]) =>
      report.problems
        .filter((p) => p.severity === severity)
        .map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ""}: ${p.message}`);
    expect(lines("error"), `redocly lint found errors:\n${lines("error").join("\n")}`).toEqual([]);
    expect(report.totals.errors).toBe(0);
    // What it warns of is printed, so a new warning shows in the log (none is accepted silently).
    if (report.totals.warnings > 0) console.log(`redocly lint warnings:\n${lines("warn").join("\n")}`);
  });
});
