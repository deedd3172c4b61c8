import type { Backchannel } from "./backchannel.js";
import type { Channel } from "./channel.js";
import { createContext, type SuiteInfo } from "./context.js";
import {
  ActionUnsupported,
  AgentUnreachable,
  BackchannelBroken,
  RunAborted,
  TestError,
  TestFailure,
  TestSkipped,
} from "./errors.js";
import type { TestResult } from "./report.js";
import type { Silence } from "./silence.js";
import type { SuiteTest } from "./suite.js";

/** Whether the backchannel still offers `setup`/`teardown` (127 once means 127 always), and run notes. */
export type Hooks = { setup: boolean; teardown: boolean; notes: string[] };

/** What {@link runTest} needs from the runner. */
export type TestRun = {
  suite: SuiteInfo;
  channel: Channel;
  backchannel: Backchannel;
  actions: ReadonlySet<string>;
  budget: number;
  /** Conversations of finished tests; this test's are added. */
  stale: Set<string>;
  hooks: Hooks;
  silence: Silence;
  signal?: AbortSignal;
};

const OVERRUN_GRACE_MS = 100;

/** How many of the agent's log lines a failing test keeps. */
const MAX_LOG_LINES = 40;

class OutOfTime extends Error {
  override readonly name = "OutOfTime";
}

/** Runs one test between `setup` and `teardown`; rethrows only what must stop the whole run. */
export async function runTest(test: SuiteTest, run: TestRun): Promise<TestResult> {
  const { suite, channel, backchannel, actions, budget, stale, silence, signal } = run;
  // Where the agent's log stands, asked while setup runs: a failing test shows what came after.
  const [logFrom] = await Promise.all([channel.logs?.cursor(), hook("setup", [test.id], run)]);
  const controller = new AbortController();
  const cancel = () => controller.abort(new RunAborted("the run was cancelled"));
  signal?.addEventListener("abort", cancel, { once: true });
  const { t, record } = createContext({
    id: test.id,
    suite,
    channel,
    backchannel,
    actions,
    deadline: Date.now() + budget,
    signal: controller.signal,
    stale,
    silence,
  });
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const outOfTime = new Promise<never>((_, reject) => {
    // A little past the budget, so a wait that ends at the deadline reports what it waited for.
    timer = setTimeout(
      () => reject(new OutOfTime(`the test did not finish within its ${budget} ms`)),
      budget + OVERRUN_GRACE_MS,
    );
  });
  const base = { test: test.id, junction: test.junction, essential: test.essential };
  let result: TestResult;
  try {
    await Promise.race([Promise.resolve().then(() => test.run(t)), outOfTime]);
    result = { ...base, status: "pass", ms: 0 };
  } catch (error) {
    if (error instanceof BackchannelBroken || error instanceof AgentUnreachable) throw error;
    if (signal?.aborted) throw new RunAborted("the run was cancelled");
    result = { ...base, ...verdict(error, test.essential, backchannel.kind), ms: 0 };
    if (error instanceof ActionUnsupported) result.unsupported = error.action;
  } finally {
    if (timer !== null) clearTimeout(timer);
    controller.abort();
    signal?.removeEventListener("abort", cancel);
  }
  result.ms = Math.round((performance.now() - started) * 10) / 10;
  for (const c of record.conversations) stale.add(c);
  if (record.notes.length > 0) result.notes = record.notes;
  if (record.silence.length > 0) result.silence = record.silence;
  if (result.status !== "pass" && channel.logs !== undefined && logFrom !== undefined) {
    const lines = await channel.logs.since(logFrom, MAX_LOG_LINES + 1);
    if (lines.length > 0) {
      result.agent_log = lines.slice(0, MAX_LOG_LINES).map((l) => `${l.level} ${l.text}`);
      if (lines.length > MAX_LOG_LINES)
        result.agent_log.push(`… more lines: GET /v1/agents/${channel.agent}/logs?after=${logFrom}`);
    }
  }
  await hook("teardown", [], run);
  return result;
}

function verdict(error: unknown, essential: boolean, kind: string): Pick<TestResult, "status" | "failure"> {
  if (error instanceof TestFailure) {
    return { status: "fail", failure: { message: error.message, ...details(error) } };
  }
  if (error instanceof OutOfTime) return { status: "fail", failure: { message: error.message } };
  if (error instanceof TestSkipped) return { status: "skip", failure: { message: error.message } };
  if (error instanceof ActionUnsupported) {
    // An essential test the agent cannot be asked to run can never pass: the junction cannot be
    // interoperable, so it is a failure; a non-essential one is skipped (it still counts as not passed).
    return essential
      ? {
          status: "fail",
          failure: {
            message: `this essential test needs action \`${error.action}\`, which the ${kind} backchannel does not support (127), so it cannot pass`,
          },
        }
      : { status: "skip", failure: { message: error.message } };
  }
  if (error instanceof TestError) {
    return {
      status: "error",
      failure: { message: error.message, ...(error.received !== undefined ? { received: error.received } : {}) },
    };
  }
  return {
    status: "error",
    failure: {
      message: `the test itself failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    },
  };
}

function details(error: TestFailure): { expected?: unknown; received?: unknown } {
  return {
    ...(error.expected !== undefined ? { expected: error.expected } : {}),
    ...(error.received !== undefined ? { received: error.received } : {}),
  };
}

async function hook(action: "setup" | "teardown", params: string[], run: TestRun): Promise<void> {
  const { hooks, backchannel, signal } = run;
  if (!hooks[action]) return;
  const result = await backchannel.act(action, params, signal);
  if (result.code === 1)
    throw new BackchannelBroken(`agact ${action} failed${result.detail ? `: ${result.detail}` : ""}`);
  if (result.code === 127) {
    hooks[action] = false;
    if (backchannel.kind !== "none")
      hooks.notes.push(`the ${backchannel.kind} backchannel does not support \`${action}\`: tests ran without it`);
  }
}
