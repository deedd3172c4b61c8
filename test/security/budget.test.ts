import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, uniqueName } from "../integration/api.js";
import { RUNTIME_LIMITS } from "../../worker/limits.js";
import { deployWith, record, settled, transcript } from "./helpers/runtime.js";

describe("routing work is metered per handled message", () => {
  it("a multicast to 100 unknown receivers costs at most deliveries_per_message deliveries, bounces included", async () => {
    const amp = uniqueName("amp");
    await deployWith(amp, env.FIXTURE_AMPLIFIER, { limits: { deliveries_per_message: 8 } });
    const conversation = `c-${crypto.randomUUID().slice(0, 8)}`;
    const to = Array.from({ length: 100 }, (_, i) => `nobody-${i}`);
    const res = await api("/v1/messages", {
      method: "POST",
      body: JSON.stringify({
        performative: "inform",
        sender: "harness",
        receiver: amp,
        conversation_id: conversation,
        content: { to, multicast: true, count: 3 },
      }),
    });
    expect(res.status).toBe(202);
    const { stats } = await settled(amp, 5); // the kick and the 4 bounces it got
    const log = await transcript(conversation);
    const bounces = log.messages.filter((m) => m.origin === "runtime");
    expect(bounces).toHaveLength(4); // 4 unknown receivers tried, each bounced: 8 deliveries
    expect(stats.messages_in).toBe(5);
    expect(stats.rejected_sends).toBe(3); // every send had receivers refused by the budget
  });

  it("an agent refused by routing limits in 10 handled messages within a minute is terminated: RoutingLimitExceeded", async () => {
    const amp = uniqueName("amp");
    await deployWith(amp, env.FIXTURE_AMPLIFIER, { limits: { deliveries_per_message: 2 } });
    const to = ["nobody-a", "nobody-b", "nobody-c"];
    for (let i = 0; i < RUNTIME_LIMITS.routing_strikes; i++) {
      const res = await api("/v1/messages", {
        method: "POST",
        body: JSON.stringify({
          performative: "inform",
          sender: "harness",
          receiver: amp,
          conversation_id: `c-strike-${crypto.randomUUID().slice(0, 8)}`,
          content: { to, multicast: true },
        }),
      });
      expect(res.status).toBe(202);
    }
    await expect.poll(async () => (await record(amp)).state, { timeout: 30_000 }).toBe("failed");
    const final = await record(amp);
    expect(final).toMatchObject({
      termination_reason: "RoutingLimitExceeded",
      termination_detail: expect.stringMatching(/^routing limits refused/),
    });
    expect(final.stats.rejected_sends).toBeGreaterThanOrEqual(RUNTIME_LIMITS.routing_strikes);
  });
});
