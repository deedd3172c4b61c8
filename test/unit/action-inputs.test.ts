import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { inputNames, readInputs } from "../../action/src/inputs.js";
import { INSTALL_MARKER, ensureRuntime, missingPackages } from "../../action/src/provision.js";

/** Inputs as the runner passes them: `INPUT_` and the name upper-cased, dashes kept. */
const given = (inputs: Record<string, string>) => {
  for (const [k, v] of Object.entries(inputs)) vi.stubEnv(`INPUT_${k.toUpperCase()}`, v);
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("action inputs", () => {
  it("harness inputs pass through with flag names; list inputs may be one per line", () => {
    given({
      agent: "agents/ping.wasm",
      features: "core.passive\ncore.active, metadata.passive\n",
      "fail-on": "constrained",
      comment: "false",
      "edge-url": "https://edge.example/",
    });
    const inputs = readInputs();
    expect(inputs.harness).toMatchObject({
      agent: "agents/ping.wasm",
      features: "core.passive,core.active,metadata.passive",
      "fail-on": "constrained",
    });
    expect(inputs).toMatchObject({ failOn: "constrained", commentMode: "off", edgeUrl: "https://edge.example" });
  });

  it("suite takes a file; tests is a list like features; skip is one GLOB=REASON per line (reasons may hold commas)", () => {
    given({
      agent: "a.wasm",
      suite: "./suites/mine.mjs",
      tests: "mine.a.*\nmine.b.*",
      skip: "mine.a.passive.x=slow, and flaky\n\nmine.b.*=not yet\n",
    });
    expect(readInputs().harness).toMatchObject({
      suite: "./suites/mine.mjs",
      tests: "mine.a.*,mine.b.*",
      skip: ["mine.a.passive.x=slow, and flaky", "mine.b.*=not yet"],
    });
  });

  it("empty inputs are absent; comments are written on every run by default; the base artifact is agtest-results", () => {
    given({ agent: "a.wasm", suite: "", "fail-on": "" });
    const inputs = readInputs();
    expect(inputs.harness.suite).toBeUndefined();
    expect(inputs.failOn).toBeUndefined();
    expect(inputs.commentMode).toBe("always");
    expect(inputs.baseArtifact).toBe("agtest-results");
    expect(inputs.runOn).toBe("embedded");
  });

  it.each([
    [
      { "fail-on": "sometimes" },
      'input `fail-on`: expected one of divergent, constrained, regression, never, got "sometimes"',
    ],
    [{ "comment-mode": "loud" }, 'input `comment-mode`: expected one of always, changes, off, got "loud"'],
    [{ comment: "yes" }, 'input `comment`: expected true or false, got "yes"'],
    [{ "edge-url": "edge.example" }, 'input `edge-url`: expected an http(s) URL, got "edge.example"'],
    [{ key: "a b" }, "input `key`: letters, digits"],
    [{ "run-on": "cloud" }, 'input `run-on`: expected embedded or edge, got "cloud"'],
  ])("a bad input is named: %o", (inputs, message) => {
    given(inputs);
    expect(() => readInputs()).toThrow(message);
  });

  it("the harness's flag names become input names", () => {
    expect(
      inputNames('--features: unknown junction "core.pasive"; did you mean core.passive?\nSee: agtest run --help'),
    ).toBe('input `features`: unknown junction "core.pasive"; did you mean core.passive?');
    expect(inputNames("--fail-on: x")).toBe("input `fail-on`: x");
  });
});

describe("embedded runtime provisioning", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const checkout = (installed: Record<string, string>) => {
    const root = mkdtempSync(join(tmpdir(), "agtest-provision-"));
    dirs.push(root);
    writeFileSync(
      join(root, "package.json"),
      JSON.stringify({ dependencies: { hono: "4.0.0", wrangler: "4.86.0" }, devDependencies: { vitest: "4" } }),
    );
    writeFileSync(
      join(root, "package-lock.json"),
      JSON.stringify({
        packages: { "node_modules/hono": { version: "4.0.0" }, "node_modules/wrangler": { version: "4.86.0" } },
      }),
    );
    for (const [name, version] of Object.entries(installed)) {
      mkdirSync(join(root, "node_modules", name), { recursive: true });
      writeFileSync(join(root, "node_modules", name, "package.json"), JSON.stringify({ name, version }));
    }
    return root;
  };

  it("production dependencies missing or not at their locked version are listed; dev ones are not", () => {
    expect(missingPackages(checkout({ hono: "4.0.0", wrangler: "4.86.0" }))).toEqual([]);
    expect(missingPackages(checkout({ hono: "3.9.0" }))).toEqual(["hono", "wrangler"]);
  });

  it("installed: nothing to do", async () => {
    expect(await ensureRuntime(checkout({ hono: "4.0.0", wrangler: "4.86.0" }))).toEqual({ installed: false });
  });

  it("never runs npm ci over node_modules/ it did not install (a developer's checkout)", async () => {
    const root = checkout({ hono: "4.0.0" });
    await expect(ensureRuntime(root)).rejects.toThrow(
      /needs wrangler in .*node_modules, which this action did not install; run `npm ci` in/,
    );
    expect(INSTALL_MARKER).toBe(".agtest-action-install");
  });
});
