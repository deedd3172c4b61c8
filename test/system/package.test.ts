import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseProfile } from "../../harness/core/index.js";

// The package as a user gets it: `npm pack` (which builds it at prepack), then an empty project
// that installs the tarball with plain npm, offline from the npm cache, and runs `npx agtest`.
const ROOT = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "agtest-package-"));
const project = join(dir, "project");
const env = { ...process.env, npm_config_offline: "true", npm_config_audit: "false", npm_config_fund: "false" };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Run = { code: number; out: string; err: string };
function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((done) => {
    execFile(command, args, { cwd, env, maxBuffer: 32 * 1024 * 1024 }, (error, out, err) =>
      done({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}

/**
 * The project's lockfile: the package's production dependencies as the repository locks them.
 * npm 11 resolves a range from the registry's full package documents, which this machine's
 * offline cache (filled by `npm ci`) does not hold; with a lockfile it needs only the tarballs,
 * as in any project that commits its lockfile.
 */
function lockfile(): string {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const packages: Record<string, unknown> = { "": { name: "my-agent" } };
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== "" && !entry.dev) packages[path] = entry;
  return JSON.stringify({ name: "my-agent", lockfileVersion: 3, requires: true, packages }, null, 1);
}

let tarball = "";
beforeAll(async () => {
  const packed = await run("npm", ["pack", "--pack-destination", dir], ROOT);
  expect(packed.err).not.toMatch(/npm error/);
  expect(packed.code).toBe(0);
  tarball = join(dir, packed.out.trim().split("\n").at(-1) ?? "");
  expect(existsSync(tarball)).toBe(true);
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "my-agent", private: true, type: "module" }));
  writeFileSync(join(project, "package-lock.json"), lockfile());
  const installed = await run("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball], project);
  expect(installed.err).not.toMatch(/npm error/);
  expect(installed.code).toBe(0);
  copyFileSync(join(ROOT, "fixtures/agents/reference.wasm"), join(project, "my.wasm"));
  copyFileSync(join(ROOT, "fixtures/agents/thermostat.wasm"), join(project, "thermostat.wasm"));
}, 300_000);

describe("npm pack → npm install ./agtest-*.tgz in an empty project → npx agtest", () => {
  it("installs compiled JavaScript, types and the prebuilt runtime; no TypeScript sources, no dev dependency", () => {
    const pkg = join(project, "node_modules", "agtest");
    for (const file of ["dist/cli/bin.js", "dist/cli/suite.js", "dist/runtime/index.js", "dist/runtime/options.json"])
      expect(existsSync(join(pkg, file)), file).toBe(true);
    expect(existsSync(join(pkg, "dist/types/harness/suite.d.ts"))).toBe(true);
    expect(existsSync(join(pkg, "harness/node/bin.ts"))).toBe(false);
    expect(existsSync(join(pkg, "worker"))).toBe(false);
    for (const dev of ["tsx", "typescript", "vitest", "assemblyscript"])
      expect(existsSync(join(project, "node_modules", dev)), dev).toBe(false);
  });

  it("npx agtest run --agent my.wasm prints the profile", async () => {
    const result = await run(
      "npx",
      ["agtest", "run", "--agent", "my.wasm", "--features", "core.passive,metadata.passive", "--format", "json"],
      project,
    );
    expect(result.err).not.toMatch(/internal error|\n\s+at /);
    expect(result.code).toBe(0);
    const profile = parseProfile(JSON.parse(result.out));
    expect(profile.test_suite).toBe("urn:agtest:suite:fipa:1.1.0");
    expect(profile.profile).toEqual({ "core.passive": "interoperable", "metadata.passive": "interoperable" });
    expect(profile.subject?.name).toBe("my");
  }, 120_000);

  it("a user's suite imports agtest/suite from the package (the example shipped in it)", async () => {
    const api = await run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        'const m = await import("agtest/suite"); console.log(typeof m.defineSuite, typeof m.Thread)',
      ],
      project,
    );
    expect(api.out.trim()).toBe("function function");
    const result = await run(
      "npx",
      ["agtest", "run", "--suite", "node_modules/agtest/fixtures/suites/thermostat.mjs", "--agent", "thermostat.wasm"],
      project,
    );
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/thermostat\.set\.passive +interoperable +3 of 3 passed/);
    expect(result.out).toMatch(/thermostat\.query\.passive +interoperable +2 of 2 passed/);
  }, 120_000);

  it("a TypeScript suite without a loader on this Node gets an error saying what to do (exit 2)", async () => {
    writeFileSync(
      join(project, "mine.ts"),
      'import { defineSuite } from "agtest/suite";\nexport default defineSuite({} as never);\n',
    );
    const result = await run("npx", ["agtest", "suites", "--suite", "mine.ts"], project);
    const typeStripping = Boolean((process.features as { typescript?: unknown }).typescript);
    // On a Node that strips types the file loads, and defineSuite names what is wrong with it.
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      typeStripping
        ? "--suite: mine.ts: suite undefined"
        : "--suite: mine.ts: a TypeScript suite needs a loader: install tsx beside it (npm install --save-dev tsx)",
    );
  });
});
