import {
  AgentUnreachable,
  BackchannelBroken,
  BackchannelLies,
  type RunReport,
  messageBackchannel,
  openRuntimeChannel,
  runSuite,
  toProfile,
  unknownClaim,
} from "../../harness/core/index.js";
import type { InteropProfile } from "../../protocol/index.js";
import { SUITES } from "../../suites/index.js";
import type { Env } from "../env.js";
import { ApiError, unwrap } from "../errors.js";
import { hostOf, profilesOf, registryOf } from "../stubs.js";

/** Where a hosted agent's edge-side profiles are stored: `hosted/<agent>` at this ref. */
export const HOSTED_OWNER = "hosted";
export const HOSTED_REF = "runtime";

/** The runtime's own fetch handler, so the harness reaches it in-process (no network hop). */
export type SelfFetch = (request: Request) => Promise<Response>;

/** What {@link executeRun} returns. */
export type RunOutcome = { id: string; agent: string; suite: string; profile: InteropProfile; report: RunReport };

/**
 * Runs a suite against a hosted agent at the edge: the same harness core as the CLI (web-standard
 * APIs only), talking to this runtime through its own HTTP API in-process (relay session for
 * replies, agact request messages as the backchannel), then stores the report and the profile.
 */
export async function executeRun(
  env: Env,
  self: SelfFetch,
  agent: string,
  suiteId: string,
  features?: readonly string[],
): Promise<RunOutcome> {
  const suite = SUITES[suiteId];
  if (!suite)
    throw new ApiError("INVALID_REQUEST", `unknown suite \`${suiteId}\` (known: ${Object.keys(SUITES).join(", ")})`);
  if (!env.AGTEST_TOKEN) throw new ApiError("UNAUTHORIZED", "this runtime has no AGTEST_TOKEN configured");
  const record = unwrap(await hostOf(env, agent).record());
  if (record.state !== "running")
    throw new ApiError("AGENT_NOT_RUNNING", `agent \`${agent}\` is ${record.state}; start it before running a suite`);
  const unknown = unknownClaim(suite, features);
  if (unknown) throw new ApiError("INVALID_REQUEST", `suite ${suite.id} has no junction \`${unknown.feature}\``);
  // Transports are tested over real HTTP: in-process there is no URL an agent could reach, so
  // unless asked for explicitly those junctions are left out (absent: not claimed) with a note.
  const claimed = features ?? suite.junctions.filter((j) => !j.cluster.startsWith("transports.")).map((j) => j.id);
  const fetcher = abortable(self);
  const channel = await openRuntimeChannel({
    url: "http://agtest.internal",
    token: env.AGTEST_TOKEN,
    agent,
    fetch: fetcher,
    relay: true,
  });
  let report: RunReport;
  try {
    report = await runSuite(suite, {
      channel,
      backchannel: messageBackchannel(channel),
      features: claimed,
      subject: { name: agent, version: String(record.version), digest: `sha256-${record.module.sha256}` },
    });
  } catch (err) {
    // What makes a run meaningless is the caller's to hear about, not a 500.
    if (err instanceof BackchannelLies || err instanceof BackchannelBroken || err instanceof AgentUnreachable) {
      throw new ApiError("RUN_FAILED", `the run of ${suite.id} against \`${agent}\` stopped: ${err.message}`);
    }
    throw err;
  } finally {
    await channel.close().catch(() => undefined);
  }
  if (!features)
    report.notes.push(
      "transports.* junctions are not claimed in edge-side runs: they need a URL the agent can reach over HTTP",
    );
  const profile = toProfile(report);
  const id = `run-${crypto.randomUUID()}`;
  await profilesOf(env, HOSTED_OWNER, agent).put(HOSTED_REF, profile);
  await registryOf(env).recordRun({
    id,
    agent,
    suite: suite.id,
    started_at: report.started_at,
    summary: {
      junctions: report.junctions.map(({ junction, score, passed, total }) => ({ junction, score, passed, total })),
      ms: report.ms,
    },
    report,
  });
  return { id, agent, suite: suite.id, profile, report };
}

/**
 * A fetch over the in-process handler that honours `init.signal`: the harness aborts its relay
 * long-poll when it closes, and an in-process call would otherwise run until the poll's timeout.
 */
function abortable(self: SelfFetch): typeof fetch {
  return (input, init) => {
    const signal = init?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const call = self(new Request(input, init));
    if (!signal) return call;
    return new Promise<Response>((resolve, reject) => {
      const abort = () => reject(signal.reason);
      signal.addEventListener("abort", abort, { once: true });
      call.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
    });
  };
}
