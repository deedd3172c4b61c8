import { describe, expect, it } from "vitest";
import {
  cluster,
  defineSuite,
  gate,
  globMatcher,
  memoryChannel,
  runSuite,
  selectTests,
  test,
} from "../../harness/core/index.js";
import { resolveRunConfig } from "../../harness/node/commands/run-options.js";
import { CliError } from "../../harness/node/exit.js";

const noop = () => undefined;
const suite = defineSuite({
  id: "sel",
  version: "1.0.0",
  title: "Selection",
  clusters: [
    cluster("a", {
      title: "A",
      passive: [
        test("one", { description: "d", essential: true }, noop),
        test("two.sub", { description: "d" }, (t) => t.fail("two fails")),
      ],
    }),
    cluster("b", { title: "B", passive: [test("three", { description: "d" }, noop)] }),
  ],
});

describe("test-id globs", () => {
  it("* is any characters, dots included; ? one character; the rest is literal; a junction id selects its tests", () => {
    const t = (id: string) => ({ id, junction: id.split(".").slice(0, 2).join(".") });
    expect(globMatcher("a.*")(t("a.passive.two.sub"))).toBe(true);
    expect(globMatcher("*.sub")(t("a.passive.two.sub"))).toBe(true);
    expect(globMatcher("a.passive.on?")(t("a.passive.one"))).toBe(true);
    expect(globMatcher("a.passive.o")(t("a.passive.one"))).toBe(false);
    // "." is a dot, not any character.
    expect(globMatcher("a.passive.one")(t("a-passive-one"))).toBe(false);
    expect(globMatcher("b.passive")(t("b.passive.three"))).toBe(true);
    expect(globMatcher("b")(t("b.passive.three"))).toBe(false);
  });

  it("selectTests: --tests keeps, --skip gives the first matching reason, unmatched globs and unselected junctions are named", () => {
    const s = selectTests(suite, { tests: ["a.*"], skip: { "*.two.*": "known", "nothing.*": "x" } });
    const [one, two, three] = suite.tests;
    expect(s.select(one!)).toBeUndefined();
    expect(s.select(two!)).toEqual({ by: "--skip *.two.*", reason: "known" });
    expect(s.select(three!)).toEqual({ by: "--tests a.*", reason: "not selected by --tests" });
    expect(s.unselected).toEqual(["b.passive"]);
    expect(s.unmatched).toEqual([{ key: "skip", glob: "nothing.*" }]);
  });

  it("a skipped test does not run, is reported skip with its reason, and does not trip the gate", async () => {
    const { select } = selectTests(suite, { skip: { "a.passive.two.*": "fails by design" } });
    const agent = () => undefined;
    const report = await runSuite(suite, { channel: memoryChannel(agent), select });
    const two = report.results.find((r) => r.test === "a.passive.two.sub");
    expect(two).toEqual({
      test: "a.passive.two.sub",
      junction: "a.passive",
      status: "skip",
      ms: 0,
      essential: false,
      failure: { message: "fails by design" },
      skipped_by: "--skip a.passive.two.*",
    });
    expect(report.junctions.find((j) => j.junction === "a.passive")?.score).toBe("constrained (1 of 2)");
    expect(gate(report, { failOn: "constrained" }).tripped).toBe(false);
    // Without the skip the same junction trips it.
    const unskipped = await runSuite(suite, { channel: memoryChannel(agent) });
    expect(gate(unskipped, { failOn: "constrained" }).failures.map((f) => f.junction)).toEqual(["a.passive"]);
  });
});

describe("--tests and --skip flags, and their config keys", () => {
  const flags = (values: Record<string, string | string[]>) => resolveRunConfig({ agent: "a.wasm", ...values }).config;

  it("--tests is a comma list; --skip repeats as GLOB=REASON (the reason may hold '='); config skips and flag skips add up", () => {
    expect(flags({ tests: "a.*, b.passive" }).tests).toEqual(["a.*", "b.passive"]);
    expect(flags({ skip: ["a.*=needs x=1", "b.*=later"] }).skip).toEqual({ "a.*": "needs x=1", "b.*": "later" });
  });

  it("a --skip without its reason is a usage error that says how to give one", () => {
    expect(() => flags({ skip: ["a.*"] })).toThrow(CliError);
    expect(() => flags({ skip: ["a.*="] })).toThrow(
      '--skip: expected GLOB=REASON (say why it is skipped: it is shown in reports), got "a.*="',
    );
  });
});
