import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, uniqueName } from "../integration/api.js";
import { MAX_HOPS } from "../../worker/routing/index.js";
import { MAX_SENDS_PER_MESSAGE } from "../../worker/sandbox/index.js";
import { reached } from "./helpers/outside.js";
import { describeReport, deployProbe, probeUntil } from "./helpers/probe.js";
import { type AgentView, deployWith, quiet, record, transcript } from "./helpers/runtime.js";

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
  it("fan-out across hops: two agents answering each message with 64 sends each are contained, the probe answering throughout", async () => {
    const probe = await deployProbe();
    const [a, b] = [uniqueName("fan-a"), uniqueName("fan-b")];
    await deployWith(a, env.FIXTURE_AMPLIFIER, { limits: LIMITS });
    await deployWith(b, env.FIXTURE_AMPLIFIER, { limits: LIMITS });
    const conversation = `c-fan-${crypto.randomUUID().slice(0, 8)}`;
    await kick({ sender: b, receiver: a, conversation_id: conversation, content: { back: MAX_SENDS_PER_MESSAGE } });
    // 64 per hop would be 64^32 messages. The receivers' mailbox caps refuse most of them and the
    // send rate slows each offender by the deliveries it caused, so the pair crawls on, contained:
    // watched until each has handled four messages (three hops: 64^3 = 262,144 unchecked).
    const report = await probeUntil(probe, [a, b], LIMITS.mailbox_depth, (records) =>
      records.every((r) => r.state === "failed" || r.stats.messages_in >= 4),
    );
    // What was refused was counted, and the offenders were slowed (refusals are counted as the
    // host's outbox routes, just after the turns that caused them).
    await expect
      .poll(async () =>
        (await Promise.all([a, b].map(record))).every(
          (r) => r.state === "failed" || (r.stats.rejected_sends > 0 && r.stats.throttled > 0),
        ),
      )
      .toBe(true);
    const records = await Promise.all([a, b].map(record));
    console.log(describeReport("fan-out across hops", report, records));
    // Bounded work: each handled message caused at most its sends and its delivery budget.
    const handled = records.reduce((n, r) => n + r.stats.messages_in, 0);
    const log = await transcript(conversation);
    expect(log.messages.length).toBeLessThanOrEqual(
      1 + handled * (MAX_SENDS_PER_MESSAGE + LIMITS.deliveries_per_message),
    );
    // The operator can end it: stopped agents take no more turns.
    for (const name of [a, b]) expect((await api(`/v1/agents/${name}/stop`, { method: "POST" })).status).toBe(200);
    expect((await Promise.all([a, b].map(record))).map((r) => r.state)).toEqual(["stopped", "stopped"]);
  }, 240_000);

  it("multicast: 64 sends each to 1,000 receivers that do not exist, answered meanwhile by a ping-pong pair; bounded by the delivery budget", async () => {
    const probe = await deployProbe();
    const amp = uniqueName("multi");
    const [a, b] = [uniqueName("bg-a"), uniqueName("bg-b")];
    await Promise.all([amp, a, b].map((name) => deployWith(name, env.FIXTURE_AMPLIFIER, { limits: LIMITS })));
    const receivers = Array.from({ length: 1000 }, (_, i) => `nobody-${i}-${crypto.randomUUID().slice(0, 6)}`);
    const conversation = `c-multi-${crypto.randomUUID().slice(0, 8)}`;
    // Another pair keeps answering each other meanwhile: limits must hold in combination.
    const background = `c-bg-${crypto.randomUUID().slice(0, 8)}`;
    await kick({ sender: b, receiver: a, conversation_id: background, content: { back: 1 } });
    await kick({
      sender: "harness",
      receiver: amp,
      conversation_id: conversation,
      content: { to: receivers, multicast: true, count: 64 },
    });
    const report = await probeUntil(probe, [amp, a, b], LIMITS.mailbox_depth, (records) => records.every(idle));
    // Idle mailboxes; then what the last messages caused is routed too.
    for (const name of [amp, a, b]) expect(await quiet(name)).toBe(true);
    const records = await Promise.all([amp, a, b].map(record));
    console.log(describeReport("multicast to 1,000", report, records));
    // One inbound message: at most its delivery budget of deliveries and bounces, not 64,000.
    const log = await transcript(conversation);
    const bounces = log.messages.filter((m) => m.origin === "runtime").length;
    const sends = log.messages.filter((m) => m.origin === "agent" && m.message.sender === amp).length;
    expect(sends).toBeLessThanOrEqual(MAX_SENDS_PER_MESSAGE);
    expect(bounces).toBeLessThanOrEqual(LIMITS.deliveries_per_message);
    const [multi] = records;
    expect(multi?.stats.messages_in).toBe(1);
    // The pair went on to the hop limit regardless.
    expect((await transcript(background)).messages.at(-1)?.message.content).toMatch(/^hop limit \(32\) reached/);
  }, 240_000);
});
