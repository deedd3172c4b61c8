import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  messageBackchannel,
  openRelayChannel,
  openRuntimeChannel,
  runSuite,
  type Channel,
  type RunReport,
} from "../../harness/core/index.js";
import { openHttpChannel } from "../../harness/node/channels/http.js";
import { deployAgent } from "../../harness/node/deploy.js";
import { startRuntime, type LocalRuntime } from "../../worker/local/runtime.js";
import { fipa } from "../../suites/fipa/index.js";
import { fakeAgent } from "../unit/helpers/fake-agent.js";
import { startHttpAgent } from "../unit/helpers/http-agent.js";

const token = "harness-system-token";
let runtime: LocalRuntime;

beforeAll(async () => {
  // Loopback egress allowed, and the agent may POST to loopback (any port): the relay sessions'
  // reply URLs on the runtime and the HTTP channel's own reply server. Replies to a URL go only
  // where the agent's allowlist says (issue #12), so without it the HTTP channel gets nothing.
  runtime = await startRuntime({ port: 0, token, persistTo: false, logLevel: "error", privateEgress: ["127.0.0.1"] });
  await deployAgent({
    url: runtime.url,
    token,
    name: "ping",
    bytes: new Uint8Array(readFileSync("fixtures/agents/ping.wasm")),
    manifest: { egress: ["127.0.0.1"] },
  });
});
afterAll(async () => {
  await runtime?.stop();
});

const outcome = (report: RunReport) => report.results.map((r) => `${r.test}: ${r.status}`);

async function passive(channel: Channel): Promise<RunReport> {
  try {
    return await runSuite(fipa, { channel, features: ["core.passive"], timeout: 3000 });
  } finally {
    await channel.close();
  }
}

describe("the same agent through each channel gets the same results", () => {
  it("embedded (relay when the runtime has one, else ?wait=), direct HTTP to the public inbox, and the edge relay", async () => {
    const viaRuntime = await passive(await openRuntimeChannel({ url: runtime.url, token, agent: "ping" }));
    const viaWait = await passive(await openRuntimeChannel({ url: runtime.url, token, agent: "ping", relay: false }));
    const viaHttp = await passive(
      await openHttpChannel({ endpoint: `${runtime.url}/v1/agents/ping/inbox`, agent: "ping" }),
    );
    const viaRelay = await passive(
      await openRelayChannel({
        relay: runtime.url,
        token,
        endpoint: `${runtime.url}/v1/agents/ping/inbox`,
        agent: "ping",
      }),
    );
    expect(viaRuntime.junctions[0]?.score).toBe("interoperable");
    for (const other of [viaWait, viaHttp, viaRelay]) expect(outcome(other)).toEqual(outcome(viaRuntime));
  });

  it("the relay channel carries an external agent's asynchronous answers (posted to the session's inbox URL)", async () => {
    const agent = await startHttpAgent(fakeAgent({ name: "agent" }), "async");
    try {
      const channel = await openRelayChannel({ relay: runtime.url, token, endpoint: agent.url, agent: "agent" });
      expect(channel.name).toMatch(new RegExp(`^${runtime.url}/v1/agtalk/sessions/[0-9a-f]+/inbox$`));
      try {
        const report = await runSuite(fipa, {
          channel,
          backchannel: messageBackchannel(channel, { timeout: 2000 }),
          features: ["core.passive", "core.active"],
          timeout: 3000,
        });
        expect(report.results.filter((r) => r.status !== "pass")).toEqual([]);
      } finally {
        await channel.close();
      }
    } finally {
      await agent.close();
    }
  });
});
