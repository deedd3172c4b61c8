import { SELF, env } from "cloudflare:test";
import { expect } from "vitest";
import { deploy, request, send, uniqueName } from "../../integration/api.js";
import { type AgentView, record } from "./runtime.js";

/** What the probe saw while an attack ran. */
export type ProbeReport = { rounds: number; latencies: number[]; maxDepth: number; p50: number; p99: number };

/** A ping agent that must keep answering while other agents misbehave. */
export async function deployProbe(): Promise<string> {
  const probe = uniqueName("probe");
  expect((await deploy(probe, env.FIXTURE_PING)).status).toBe(201);
  return probe;
}

/**
 * Runs probe rounds until `done` says the attack is over: each round `GET /v1/health` must answer
 * 200 and the probe agent must answer a ping (`?wait=`: the reply, not a timeout); the offenders'
 * mailboxes must stay within `maxDepth`. Latencies are reported, never asserted (a loaded machine
 * is slow, not wrong). Ends with at least `minRounds` rounds, so the probe ran during the attack.
 */
export async function probeUntil(
  probe: string,
  offenders: string[],
  cap: number,
  done: (records: AgentView[]) => boolean | Promise<boolean>,
  minRounds = 3,
): Promise<ProbeReport> {
  const latencies: number[] = [];
  let maxDepth = 0;
  for (let round = 0; ; round++) {
    const health = await SELF.fetch("http://agtest.test/v1/health");
    expect(health.status).toBe(200);
    await health.body?.cancel();
    const started = performance.now();
    const res = await send(request(probe, "ping"), 20_000);
    expect(res.status, "the probe agent answered").toBe(200);
    expect(await res.json()).toMatchObject({ performative: "inform", content: "pong" });
    latencies.push(performance.now() - started);
    const records = await Promise.all(offenders.map(record));
    for (const r of records) {
      maxDepth = Math.max(maxDepth, r.stats.mailbox_depth);
      expect(r.stats.mailbox_depth).toBeLessThanOrEqual(cap);
    }
    if (round + 1 >= minRounds && (await done(records))) break;
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { rounds: latencies.length, latencies, maxDepth, p50: at(0.5), p99: at(0.99) };
}

/** One line for the test log. */
export function describeReport(label: string, report: ProbeReport, records: AgentView[]): string {
  const states = records.map(
    (r) =>
      `${r.state}${r.termination_reason ? `/${r.termination_reason}` : ""} (in ${r.stats.messages_in}, out ${r.stats.messages_out}, rejected ${r.stats.rejected_sends}, throttled ${r.stats.throttled})`,
  );
  return `${label}: ${report.rounds} probe rounds, probe p50 ${report.p50.toFixed(0)} ms, p99 ${report.p99.toFixed(0)} ms, deepest offender mailbox ${report.maxDepth}; offenders ${states.join(", ")}`;
}
