import { noBackchannel, probeBackchannel, type Backchannel } from "./backchannel.js";
import type { Channel } from "./channel.js";
import { suiteDigest } from "./digest.js";
import { RunAborted } from "./errors.js";
import type { ProgressEvent, RunReport, Subject, TestResult } from "./report.js";
import { scoreJunction } from "./score.js";
import { Silence, type SilenceOptions } from "./silence.js";
import type { Suite, SuiteTest } from "./suite.js";
import { runTest, type Hooks } from "./run-test.js";

/** Options of {@link runSuite}. */
export type RunOptions = {
  channel: Channel;
  /** Default: none (every action unsupported, active junctions not run). */
  backchannel?: Backchannel;
  /** Claimed junctions (`core.passive`, ...); default every junction of the suite. */
  features?: readonly string[];
  /** Replaces every test's own time budget (ms), e.g. for a slow transport. */
  timeout?: number;
  /** The adaptive silence window for agents the runtime does not host (see silence.ts). */
  silence?: SilenceOptions;
  /** Who is tested, for the profile (default: the channel's agent address). */
  subject?: Subject;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /**
   * A channel and backchannel of its own for each junction (its own deployed copy of the agent):
   * junctions then run side by side, each one's tests in order, and cannot disturb one another.
   * Without it every test runs in turn on `channel`.
   */
  lanes?: (junction: string) => Promise<Lane>;
  /** How many lanes at once (default {@link DEFAULT_LANES}). */
  parallel?: number;
  /**
   * The run's selection: for a test to leave out, what left it out (`by`, e.g. `--skip core.*`)
   * and why. A left-out test is not run; it is reported as `skip` with the reason.
   */
  select?: (test: SuiteTest) => Deselected | undefined;
};

/** Why {@link RunOptions.select} left a test out. */
export type Deselected = { by: string; reason: string };

/** Junctions side by side by default: waits overlap, and two cores stay busy without thrashing. */
export const DEFAULT_LANES = 4;

/** One junction's own way to the agent (see {@link RunOptions.lanes}). */
export type Lane = { channel: Channel; backchannel: Backchannel; close(): Promise<void> };

/**
 * The first claimed feature the suite has no junction of (its place in the list, and the
 * junctions there are), or `null` when every claim is a junction of the suite. One check for every
 * boundary that takes claims: the runner (a `RangeError`), `agtest run` and the action (a usage
 * error naming the flag or config key), the runtime's `POST /v1/runs` (a 400).
 */
export function unknownClaim(
  suite: Suite,
  features: readonly string[] | undefined,
): { index: number; feature: string; known: string[] } | null {
  const known = suite.junctions.map((j) => j.id);
  const index = (features ?? []).findIndex((f) => !known.includes(f));
  return index < 0 ? null : { index, feature: features![index]!, known };
}

/**
 * Runs the claimed junctions of `suite` against the agent behind `channel`: probes the
 * backchannel, then for every test drains the inbox, asks for `setup`, runs the test within its
 * budget, asks for `teardown`, and finally scores each junction.
 *
 * Throws (and stops) on what makes results meaningless: `BackchannelLies`, `BackchannelBroken`,
 * `AgentUnreachable`, `RunAborted`; a `RangeError` for a feature the suite does not have.
 */
export async function runSuite(suite: Suite, options: RunOptions): Promise<RunReport> {
  const { channel, backchannel = noBackchannel, features, timeout, onProgress, signal } = options;
  const silence = new Silence(options.silence);
  const unknown = unknownClaim(suite, features);
  if (unknown) throw new RangeError(`suite ${suite.id} has no junction ${JSON.stringify(unknown.feature)}`);
  const claimed = new Set(features ?? suite.junctions.map((j) => j.id));
  const started = Date.now();
  const digest = await suiteDigest(suite);
  await probeBackchannel(backchannel, signal);

  const notRun: RunReport["not_run"] = [];
  const junctions = suite.junctions.filter((j) => {
    if (!claimed.has(j.id)) return false;
    if (j.side === "active" && backchannel.kind === "none") {
      notRun.push({
        junction: j.id,
        reason: "active tests ask the agent to act, and no backchannel is configured (--agact or --backchannel)",
      });
      return false;
    }
    return true;
  });
  const tests: SuiteTest[] = junctions.flatMap((j) => j.tests);
  const notes: string[] = [];
  const actions = new Set(Object.keys(suite.actions));
  const info = { id: suite.id, version: suite.version, uri: suite.uri, junctions: suite.junctions.map((j) => j.id) };
  onProgress?.({ type: "start", total: tests.length, junctions: junctions.map((j) => j.id) });
  let index = 0;
  /** Runs `list` in order on one channel, with its own setup/teardown state and stale conversations. */
  const inTurn = async (
    list: readonly SuiteTest[],
    lane: { channel: Channel; backchannel: Backchannel },
  ): Promise<TestResult[]> => {
    const hooks: Hooks = { setup: true, teardown: true, notes };
    const stale = new Set<string>();
    const out: TestResult[] = [];
    const unlisten = lane.channel.inbox.listen((item) => silence.arrived(item));
    try {
      for (const test of list) {
        if (signal?.aborted) throw new RunAborted("the run was cancelled");
        lane.channel.inbox.drain();
        const at = index++;
        onProgress?.({ type: "test-start", test: test.id, index: at, total: tests.length });
        const left = options.select?.(test);
        if (left) {
          const result: TestResult = {
            test: test.id,
            junction: test.junction,
            status: "skip",
            ms: 0,
            essential: test.essential,
            failure: { message: left.reason },
            skipped_by: left.by,
          };
          out.push(result);
          onProgress?.({ type: "test-end", result, index: at, total: tests.length });
          continue;
        }
        const budget = timeout ?? test.timeout;
        const result = await runTest(test, {
          suite: info,
          channel: lane.channel,
          backchannel: lane.backchannel,
          actions,
          budget,
          stale,
          hooks,
          silence,
          ...(signal ? { signal } : {}),
        });
        out.push(result);
        onProgress?.({ type: "test-end", result, index: at, total: tests.length });
      }
    } finally {
      unlisten();
    }
    return out;
  };
  const { lanes } = options;
  let results: TestResult[];
  if (lanes) {
    const byJunction = new Map<string, TestResult[]>();
    const queue = [...junctions];
    const worker = async () => {
      for (let j = queue.shift(); j !== undefined; j = queue.shift()) {
        const lane = await lanes(j.id);
        try {
          byJunction.set(j.id, await inTurn(j.tests, lane));
        } finally {
          await lane.close().catch(() => undefined);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? DEFAULT_LANES) }, worker));
    results = junctions.flatMap((j) => byJunction.get(j.id) ?? []);
  } else {
    results = await inTurn(tests, { channel, backchannel });
  }
  // The same note from every lane once.
  const unique = [...new Set(notes)];
  notes.splice(0, notes.length, ...unique);
  return {
    suite: { id: suite.id, version: suite.version, uri: suite.uri, digest, title: suite.title },
    subject: options.subject ?? { name: channel.agent },
    channel: channel.kind,
    backchannel: backchannel.kind,
    started_at: new Date(started).toISOString(),
    ms: Date.now() - started,
    junctions: junctions.map((j) => {
      const mine = results.filter((r) => r.junction === j.id);
      return {
        junction: j.id,
        score: scoreJunction(mine),
        passed: mine.filter((r) => r.status === "pass").length,
        total: mine.length,
        essential_failures: mine.filter((r) => r.essential && r.status !== "pass").map((r) => r.test),
      };
    }),
    not_run: notRun,
    results,
    notes,
    silence: { mode: channel.quiet ? "quiescent" : "adaptive", ...silence.summary() },
  };
}
