import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseProfile } from "../../harness/core/index.js";
import { agtest } from "./helpers/agtest-cli.js";

// A suite written by a user (fixtures/suites/thermostat.mjs, only `agtest/suite` and docs/suites.md)
// against its two example agents, then suite files broken in each way an author may break one.
const SUITE = "fixtures/suites/thermostat.mjs";
const dir = mkdtempSync(join(tmpdir(), "agtest-user-suites-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("agtest run --suite FILE", () => {
  it("thermostat.wasm passes the example suite: every junction interoperable, exit 0", async () => {
    const out = join(dir, "good.json");
    const run = await agtest("run", "--suite", SUITE, "--agent", "fixtures/agents/thermostat.wasm", "--out", out);
    expect(run.err).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(0);
    const profile = parseProfile(JSON.parse(readFileSync(out, "utf8")));
    expect(profile.test_suite).toBe("urn:agtest:suite:thermostat:1.0.0");
    expect(profile.profile).toEqual({
      "thermostat.set.passive": "interoperable",
      "thermostat.query.passive": "interoperable",
    });
    expect(profile.results?.map((r) => r.status)).toEqual(["pass", "pass", "pass", "pass", "pass"]);
  });

  it("thermostat-lax.wasm does not: thermostat.set divergent at the range check, thermostat.query interoperable, exit 1", async () => {
    const out = join(dir, "lax.json");
    const run = await agtest("run", "--suite", SUITE, "--agent", "fixtures/agents/thermostat-lax.wasm", "--out", out);
    expect(run.code).toBe(1);
    const profile = parseProfile(JSON.parse(readFileSync(out, "utf8")));
    expect(profile.profile).toEqual({
      "thermostat.set.passive": "divergent",
      "thermostat.query.passive": "interoperable",
    });
    expect(run.out).toContain(
      "thermostat.set.passive is divergent: 1 essential test did not pass: thermostat.set.passive.refuses-out-of-range",
    );
    expect(run.out).toContain("a target of 99 °C must be refused");
    expect(run.err).toContain("fails --fail-on divergent: thermostat.set.passive");
  });

  it("--skip GLOB=REASON: the test does not run, its reason is in the table, the profile, JUnit and Markdown, and it does not fail the run", async () => {
    const out = join(dir, "skip.json");
    const junit = join(dir, "skip.xml");
    const markdown = join(dir, "skip.md");
    const reason = "agrees to any target until issue 7 is fixed";
    const run = await agtest(
      "run",
      "--suite",
      SUITE,
      "--agent",
      "fixtures/agents/thermostat-lax.wasm",
      "--skip",
      `thermostat.set.*.refuses-*=${reason}`,
      "--out",
      out,
      "--junit",
      junit,
      "--markdown",
      markdown,
    );
    expect(run.err).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(0);
    const profile = parseProfile(JSON.parse(readFileSync(out, "utf8")));
    // The score stays honest (an essential test did not pass); the gate excuses it.
    expect(profile.profile["thermostat.set.passive"]).toBe("divergent");
    const skipped = profile.results?.find((r) => r.test === "thermostat.set.passive.refuses-out-of-range");
    expect(skipped).toMatchObject({
      status: "skip",
      ms: 0,
      failure: { message: reason },
      skipped_by: "--skip thermostat.set.*.refuses-*",
    });
    expect(profile.results?.filter((r) => r.status === "pass")).toHaveLength(4);
    expect(run.out).toContain("Skipped (known divergences: they do not fail the run)");
    expect(run.out).toContain(
      `thermostat.set.passive.refuses-out-of-range (essential): ${reason} [--skip thermostat.set.*.refuses-*]`,
    );
    expect(run.out).not.toContain("Tests that did not pass");
    expect(readFileSync(junit, "utf8")).toContain(`<skipped message="${reason}" type="skip">`);
    expect(readFileSync(markdown, "utf8")).toContain(
      `- \`thermostat.set.passive.refuses-out-of-range\` (essential): ${reason} (--skip thermostat.set.*.refuses-*)`,
    );
  });

  it("--tests GLOB: only the matching tests run; a junction with none selected is not claimed", async () => {
    const out = join(dir, "tests.json");
    const run = await agtest(
      "run",
      "--suite",
      SUITE,
      "--agent",
      "fixtures/agents/thermostat-lax.wasm",
      "--tests",
      "thermostat.query.*",
      "--out",
      out,
    );
    expect(run.code).toBe(0);
    const profile = parseProfile(JSON.parse(readFileSync(out, "utf8")));
    expect(profile.profile).toEqual({ "thermostat.query.passive": "interoperable" });
    expect(run.out).toContain("not claimed, as --tests selects none of their tests: thermostat.set.passive");
  });
});

describe("suite files with mistakes get an error naming the file, and the line or the test (exit 2)", () => {
  const cases: [string, string, string, RegExp][] = [
    [
      "syntax error",
      "syntax.mjs",
      'import { defineSuite } from "agtest/suite";\nexport default defineSuite({ id: "x",, version: "1.0.0" });\n',
      /--suite: \S*syntax\.mjs: SyntaxError: Unexpected token ',' \(line 2: export default defineSuite\(\{ id: "x",, version/,
    ],
    [
      "duplicate test",
      "duplicate.mjs",
      `import { cluster, defineSuite, test } from "agtest/suite";
const t = (name) => test(name, { description: "d" }, () => {});
export default defineSuite({ id: "dup", version: "1.0.0", title: "D", clusters: [cluster("c", { title: "C", passive: [t("same"), t("same")] })] });
`,
      /--suite: \S*duplicate\.mjs: suite "dup": test id c\.passive\.same is used twice/,
    ],
    [
      "bad test name",
      "bad-name.mjs",
      `import { cluster, defineSuite, test } from "agtest/suite";
export default defineSuite({ id: "bad", version: "1.0.0", title: "B", clusters: [cluster("c", { title: "C", passive: [test("Says Hello", { description: "d" }, () => {})] })] });
`,
      /--suite: \S*bad-name\.mjs: suite "bad": test name "Says Hello" in c\.passive must be dot-delimited lowercase segments/,
    ],
    [
      "bad suite version in a plain spec (no defineSuite)",
      "plain.mjs",
      'export default { id: "plain", version: "1", title: "P", clusters: [] };\n',
      /--suite: \S*plain\.mjs: suite "plain": version "1" is not a semantic version/,
    ],
    [
      "no export",
      "empty.mjs",
      "export const nothing = 1;\n",
      /--suite: \S*empty\.mjs: exports no suite: end it with `export default defineSuite/,
    ],
    [
      "throws while loading",
      "throws.mjs",
      'import { defineSuite } from "agtest/suite";\n\nexport default defineSuite(settings);\n',
      /--suite: \S*throws\.mjs: ReferenceError: settings is not defined \(line 3, column \d+\)/,
    ],
    [
      "imports something missing",
      "missing-import.mjs",
      'import { helper } from "./helpers.mjs";\nexport default helper;\n',
      /--suite: \S*missing-import\.mjs: Cannot find module '\S*helpers\.mjs'/,
    ],
  ];
  it.each(cases)("%s", async (_what, name, text, error) => {
    const run = await agtest("suites", "--suite", write(name, text));
    expect(run.code).toBe(2);
    expect(run.err).toMatch(error);
    expect(run.err).not.toMatch(/\n\s+at /);
    expect(run.out).toBe("");
  });

  it("a missing file, and a file that is not an ES module", async () => {
    const missing = await agtest("suites", "--suite", join(dir, "nope.mjs"));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--suite: \S*nope\.mjs: no such file/);
    const json = await agtest("run", "--agent", "fixtures/agents/thermostat.wasm", "--suite", write("s.json", "{}"));
    expect(json.code).toBe(2);
    expect(json.err).toMatch(/--suite: \S*s\.json: a suite file is an ES module: \.js, \.mjs, \.ts, \.mts/);
  });

  it("--tests and --skip globs that match nothing, and a skip without its reason, are usage errors", async () => {
    const base = ["run", "--suite", SUITE, "--agent", "fixtures/agents/thermostat.wasm"];
    const tests = await agtest(...base, "--tests", "thermostat.qeury.*");
    expect(tests.code).toBe(2);
    expect(tests.err).toContain('--tests: "thermostat.qeury.*" matches no test of suite thermostat');
    const skip = await agtest(...base, "--skip", "core.*=not this suite");
    expect(skip.code).toBe(2);
    expect(skip.err).toContain('--skip: "core.*" matches no test of suite thermostat');
    const why = await agtest(...base, "--skip", "thermostat.set.*");
    expect(why.code).toBe(2);
    expect(why.err).toContain(
      '--skip: expected GLOB=REASON (say why it is skipped: it is shown in reports), got "thermostat.set.*"',
    );
  });
});

describe("agtest suites --suite FILE", () => {
  it("lists the example suite's junctions and tests, essential ones starred", async () => {
    const run = await agtest("suites", "--suite", SUITE);
    expect(run.code).toBe(0);
    expect(run.out).toContain("thermostat 1.0.0 — x-thermostat: set and read a target temperature");
    expect(run.out).toContain("urn:agtest:suite:thermostat:1.0.0");
    expect(run.out).toMatch(/thermostat\.set\.passive {2}\(3 tests, 2 essential\)/);
    expect(run.out).toMatch(/\* refuses-out-of-range +a target outside 5–30 °C is refused/);
  });

  it("loads a TypeScript suite in the repository (tsx is the loader here)", async () => {
    // As in a user's project: an ES module package.
    write("package.json", '{ "type": "module" }');
    const file = write(
      "typed.ts",
      `import { cluster, defineSuite, test, type TestContext } from "agtest/suite";
const pings = async (t: TestContext): Promise<void> => { await t.ask({ performative: "request", content: "ping" }); };
export default defineSuite({ id: "typed", version: "0.1.0", title: "Typed", clusters: [cluster("ping", { title: "P", passive: [test("answers", { description: "answers ping" }, pings)] })] });
`,
    );
    const run = await agtest("suites", "--suite", file, "--json");
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out).suites[0]).toMatchObject({ id: "typed", junctions: [{ id: "ping.passive" }] });
  });
});
