import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, uniqueName } from "../integration/api.js";
import { MAX_HOPS } from "../../worker/routing/index.js";
import { reached } from "./helpers/outside.js";
import { describeReport, deployProbe, probeUntil } from "./helpers/probe.js";
import { type AgentView, deployWith, record, transcript } from "./helpers/runtime.js";

/**
 * The offenders' limits, lowered in their manifests (as any tenant may) so that each attack runs
 * its course in seconds on a loaded machine; the mechanisms are the same at the defaults, only
 * slower to bite. The probe keeps the defaults.
 */
const LIMITS = { mailbox_depth: 50, deliveries_per_message: 64, send_rate_per_sec: 20 };

/** Routes a message as the admin would (the sender is whatever the test claims). */
async function kick(message: { [key: string]: unknown }): Promise<void> {
  const res = await api("/v1/messages", {
    method: "POST",
    body: JSON.stringify({ performative: "inform", ...message }),
  });
  expect(res.status, await res.clone().text()).toBe(202);
}

const idle = (r: AgentView) => r.state === "failed" || r.stats.mailbox_depth === 0;

// Not here yet: fan-out across hops (64 per message between two agents) and multicast to 1,000
// unknown receivers under the probe. Both are bounded by the delivery budget and end in
// RoutingLimitExceeded (budget.test.ts shows each mechanism alone), but on this loaded 2-core
// machine they did not finish within 4 minutes, so they are left out rather than flaky.

describe("amplification: one message cannot make the runtime do unbounded routing work", () => {
  it("two agents ping-ponging in 10 conversations at once: each chain ends at the hop limit, the work is bounded", async () => {
    const probe = await deployProbe();
    const [a, b] = [uniqueName("pp-a"), uniqueName("pp-b")];
    await deployWith(a, env.FIXTURE_AMPLIFIER, { limits: LIMITS });
    await deployWith(b, env.FIXTURE_AMPLIFIER, { limits: LIMITS });
    const conversations = Array.from({ length: 10 }, (_, i) => `c-pp-${crypto.randomUUID().slice(0, 8)}-${i}`);
    await Promise.all(
      conversations.map((conversation_id) => kick({ sender: b, receiver: a, conversation_id, content: { back: 1 } })),
    );
    // Every hop up to the limit is one handled message, alternately by a and b.
    const total = conversations.length * MAX_HOPS;
    const report = await probeUntil(
      probe,
      [a, b],
      LIMITS.mailbox_depth,
      (records) => records.every(idle) && records.reduce((n, r) => n + r.stats.messages_in, 0) >= total,
    );
    const records = await Promise.all([a, b].map(record));
    console.log(describeReport("ping-pong", report, records));
    for (const id of conversations) {
      const log = await transcript(id);
      expect(log.messages.length).toBeLessThanOrEqual(MAX_HOPS + 2);
      expect(log.messages.at(-1)?.message.content).toMatch(/^hop limit \(32\) reached/);
    }
    // Bounded work: exactly one handled message per hop below the limit, alternately, nothing more.
    expect(records.map((r) => r.stats.messages_in)).toEqual([total / 2, total / 2]);
  }, 240_000);

  it("an agent posting to its own public inbox URL: the hop count travels with each POST and the loop ends at the hop limit", async () => {
    const probe = await deployProbe();
    const amp = uniqueName("self");
    await deployWith(amp, env.FIXTURE_AMPLIFIER, { egress: ["agtest.test"], limits: LIMITS });
    const inbox = `http://agtest.test/v1/agents/${amp}/inbox`;
    const conversation = `c-${crypto.randomUUID().slice(0, 8)}`;
    await kick({ sender: "harness", receiver: amp, conversation_id: conversation, content: { to: [inbox], count: 1 } });
    const hopLimited = async () =>
      (await transcript(conversation)).messages.some((m) => String(m.message.content).startsWith("hop limit"));
    const report = await probeUntil(probe, [amp], LIMITS.mailbox_depth, hopLimited, 1);
    const posts = await reached(`/v1/agents/${amp}/inbox`);
    console.log(describeReport("own public inbox", report, [await record(amp)]));
    // Each round trip through the inbox is one hop more: 31 POSTs, then the hop limit, not the agent, ends it.
    expect(posts.map((p) => Number(p.hops))).toEqual(Array.from({ length: MAX_HOPS - 1 }, (_, i) => i + 1));
  }, 240_000);
});
