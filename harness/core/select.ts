import type { Deselected } from "./runner.js";
import type { Suite, SuiteTest } from "./suite.js";

/**
 * A test-id glob as `--tests` and `--skip` take it: `*` is any run of characters (dots
 * included), `?` one character, everything else itself. A glob matches a test when it matches
 * the test's id or its junction's id (`core.passive` selects every test of that junction).
 */
export function globMatcher(glob: string): (test: Pick<SuiteTest, "id" | "junction">) => boolean {
  const source = glob
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  const re = new RegExp(`^${source}$`);
  return (test) => re.test(test.id) || re.test(test.junction);
}

/** What {@link selectTests} takes: `tests` globs to run (default all), `skip` globs with their reasons. */
export type SelectionOptions = {
  tests?: readonly string[] | undefined;
  skip?: Readonly<Record<string, string>> | undefined;
};

/** A run's selection: what to hand the runner, and the junctions left with no test to run. */
export type Selection = {
  /** For `RunOptions.select`. */
  select: (test: SuiteTest) => Deselected | undefined;
  /** Junctions none of whose tests `tests` selects (they are not claimed). */
  unselected: string[];
  /** Globs that match no test of the suite (a typo would select or excuse nothing): `tests` or `skip`, and the glob. */
  unmatched: { key: "tests" | "skip"; glob: string }[];
};

/**
 * Turns `--tests` and `--skip` into a selection. A test is run when some `tests` glob matches it
 * (or there are none) and no `skip` glob does; the first matching `skip` glob gives the reason.
 */
export function selectTests(suite: Suite, options: SelectionOptions): Selection {
  const tests = (options.tests ?? []).map((glob) => ({ glob, match: globMatcher(glob) }));
  const skip = Object.entries(options.skip ?? {}).map(([glob, reason]) => ({ glob, reason, match: globMatcher(glob) }));
  const unmatched: Selection["unmatched"] = [
    ...tests.filter((g) => !suite.tests.some(g.match)).map((g) => ({ key: "tests" as const, glob: g.glob })),
    ...skip.filter((g) => !suite.tests.some(g.match)).map((g) => ({ key: "skip" as const, glob: g.glob })),
  ];
  const chosen = (test: SuiteTest) => tests.length === 0 || tests.some((g) => g.match(test));
  const select = (test: SuiteTest): Deselected | undefined => {
    if (!chosen(test))
      return { by: `--tests ${tests.map((g) => g.glob).join(",")}`, reason: "not selected by --tests" };
    const rule = skip.find((g) => g.match(test));
    return rule ? { by: `--skip ${rule.glob}`, reason: rule.reason } : undefined;
  };
  const unselected = suite.junctions.filter((j) => !j.tests.some(chosen)).map((j) => j.id);
  return { select, unselected, unmatched };
}
