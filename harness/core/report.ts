import type { Score, TestStatus } from "./score.js";
import type { SilenceSummary, SilenceWait } from "./silence.js";

/** Why a test did not pass, with the message the agent should have sent and the one it sent. */
export type Failure = { message: string; expected?: unknown; received?: unknown };

/** One test's outcome. `ms` is the test's own time (setup and teardown excluded). */
export type TestResult = {
  test: string;
  junction: string;
  status: TestStatus;
  ms: number;
  essential: boolean;
  failure?: Failure;
  notes?: string[];
  /**
   * Set when the run's selection left the test out (`--skip GLOB=REASON`, or not matched by
   * `--tests`): what left it out. The test did not run; `failure.message` holds the reason.
   */
  skipped_by?: string;
  /** How each "nothing more arrives" check of the test was decided (what was waited for). */
  silence?: SilenceWait[];
  /** The agact action the backchannel answered 127 (unsupported) to, when that is why the test did not pass. */
  unsupported?: string;
  /** A test that did not pass: the agent's own log lines written during it (`level text`), when the channel reads them. */
  agent_log?: string[];
};

/** A scored junction: `passed of total`, and the essential tests that did not pass (the why). */
export type JunctionReport = {
  junction: string;
  score: Score;
  passed: number;
  total: number;
  essential_failures: string[];
};

/** Who was tested. `digest` is the module's `sha256-...` when the harness had the bytes. */
export type Subject = { name: string; version?: string; digest?: string };

/** Everything a run produced; reporters render it, {@link toProfile} turns it into the profile. */
export type RunReport = {
  suite: { id: string; version: string; uri: string; digest: string; title: string };
  subject: Subject;
  channel: string;
  backchannel: string;
  started_at: string;
  ms: number;
  /** Claimed junctions that ran, in suite order, with their scores. */
  junctions: JunctionReport[];
  /** Claimed junctions that could not run, and why (they are absent from the profile). */
  not_run: { junction: string; reason: string }[];
  results: TestResult[];
  /** Run-wide remarks (e.g. the backchannel has no `setup`). */
  notes: string[];
  /**
   * How silence was decided: `quiescent` (the runtime says when a hosted agent is quiet) or
   * `adaptive` (windows from the round trips measured in the run, summarised here).
   */
  silence?: SilenceSummary & { mode: "quiescent" | "adaptive" };
};

/** What the runner reports while it works, for progress displays. */
export type ProgressEvent =
  | { type: "start"; total: number; junctions: string[] }
  | { type: "test-start"; test: string; index: number; total: number }
  | { type: "test-end"; result: TestResult; index: number; total: number };
