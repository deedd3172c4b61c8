import { SuiteDefinitionError } from "./errors.js";
import type { TestContext } from "./context.js";

/**
 * HIPE 0015's two modes: `active` (the agent initiates, asked through the backchannel) and
 * `passive` (the agent answers what the harness sends).
 */
export type Side = "active" | "passive";

/** The body of a test: throw (usually through `t.fail`/`t.assert...`) to fail it. */
export type TestFn = (t: TestContext) => Promise<void> | void;

/** Options of {@link test}. */
export type TestOptions = {
  /** One sentence: what the agent must do. Shown in `agtest suites` and in reports. */
  description: string;
  /** Essential tests decide between `constrained` and `divergent` (default false). */
  essential?: boolean;
  /** The test's whole time budget in ms, setup excluded (default {@link DEFAULT_TEST_TIMEOUT}). */
  timeout?: number;
};

/** A test as written in a suite, before it knows its junction. */
export type TestSpec = TestOptions & { name: string; run: TestFn };

/** An agact action a suite's tests may ask for, documented for agent authors. */
export type ActionSpec = { usage: string; description: string };

/** A feature cluster: a dotted id (`protocols.fipa-request`) and the tests of each side. */
export type ClusterSpec = { id: string; title: string; active?: TestSpec[]; passive?: TestSpec[] };

/** What {@link defineSuite} takes. */
export type SuiteSpec = {
  id: string;
  /** Semantic version; bump it whenever a test's logic changes. */
  version: string;
  title: string;
  /** agact actions the tests use (`setup` and `teardown` are predefined). */
  actions?: Record<string, ActionSpec>;
  clusters: ClusterSpec[];
};

/** A test inside a suite: `id` is `<junction>.<name>`, e.g. `core.passive.reply-echoes-conversation-id`. */
export type SuiteTest = {
  id: string;
  junction: string;
  cluster: string;
  side: Side;
  name: string;
  description: string;
  essential: boolean;
  timeout: number;
  run: TestFn;
};

/** An interop junction (HIPE 0015): one side of one cluster, e.g. `core.passive`. */
export type Junction = { id: string; cluster: string; side: Side; title: string; tests: readonly SuiteTest[] };

/** A validated suite, ready to run. */
export type Suite = {
  id: string;
  version: string;
  /** `urn:agtest:suite:<id>:<version>`, the profile's `test_suite`. */
  uri: string;
  title: string;
  actions: Readonly<Record<string, ActionSpec>>;
  junctions: readonly Junction[];
  tests: readonly SuiteTest[];
};

/** A test's budget when it does not say. */
export const DEFAULT_TEST_TIMEOUT = 5_000;

const SEGMENT = /^[a-z0-9][a-z0-9-]*$/;
const DOTTED = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$/;
// semver.org's core (no pre-release or build metadata: a suite release is a release).
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** Declares one test; `name` may hold dots to group tests (`deadline.late-proposal`). */
export function test(name: string, options: TestOptions, run: TestFn): TestSpec {
  return { name, ...options, run };
}

/** Declares a feature cluster (typed identity: the checks happen in {@link defineSuite}). */
export function cluster(id: string, spec: Omit<ClusterSpec, "id">): ClusterSpec {
  return { id, ...spec };
}

/** The URI a suite version is known by: `urn:agtest:suite:<id>:<version>`. */
export function suiteUri(id: string, version: string): string {
  return `urn:agtest:suite:${id}:${version}`;
}

/**
 * Validates a suite and flattens it into junctions and tests. Throws
 * {@link SuiteDefinitionError} naming the problem (bad id, duplicate test, empty side...).
 */
export function defineSuite(spec: SuiteSpec): Suite {
  const problem = (text: string): never => {
    throw new SuiteDefinitionError(`suite ${JSON.stringify(spec.id)}: ${text}`);
  };
  if (!SEGMENT.test(spec.id)) problem("the id must be lowercase letters, digits and '-'");
  if (!SEMVER.test(spec.version)) problem(`version ${JSON.stringify(spec.version)} is not a semantic version (1.2.3)`);
  const junctions: Junction[] = [];
  const ids = new Set<string>();
  for (const c of spec.clusters) {
    if (!DOTTED.test(c.id)) problem(`cluster id ${JSON.stringify(c.id)} must be dot-delimited lowercase segments`);
    for (const side of ["passive", "active"] as const) {
      const specs = c[side];
      if (specs === undefined) continue;
      if (specs.length === 0) problem(`${c.id}.${side} has no tests (leave the side out instead)`);
      const junction = `${c.id}.${side}`;
      if (ids.has(junction)) problem(`junction ${junction} is defined twice`);
      ids.add(junction);
      const tests = specs.map((s) => toTest(s, c.id, side, problem));
      for (const t of tests) {
        if (ids.has(t.id)) problem(`test id ${t.id} is used twice`);
        ids.add(t.id);
      }
      junctions.push({ id: junction, cluster: c.id, side, title: c.title, tests });
    }
  }
  if (junctions.length === 0) problem("it has no tests");
  return {
    id: spec.id,
    version: spec.version,
    uri: suiteUri(spec.id, spec.version),
    title: spec.title,
    actions: spec.actions ?? {},
    junctions,
    tests: junctions.flatMap((j) => j.tests),
  };
}

function toTest(s: TestSpec, clusterId: string, side: Side, problem: (text: string) => never): SuiteTest {
  const junction = `${clusterId}.${side}`;
  if (!DOTTED.test(s.name))
    problem(`test name ${JSON.stringify(s.name)} in ${junction} must be dot-delimited lowercase segments`);
  const timeout = s.timeout ?? DEFAULT_TEST_TIMEOUT;
  if (!Number.isInteger(timeout) || timeout <= 0)
    problem(`test ${junction}.${s.name}: timeout must be a positive integer (ms)`);
  if (s.description.trim() === "") problem(`test ${junction}.${s.name} needs a description`);
  return {
    id: `${junction}.${s.name}`,
    junction,
    cluster: clusterId,
    side,
    name: s.name,
    description: s.description,
    essential: s.essential ?? false,
    timeout,
    run: s.run,
  };
}
