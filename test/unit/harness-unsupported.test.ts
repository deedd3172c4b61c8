import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  AgentUnreachable,
  memoryChannel,
  messageBackchannel,
  preflight,
  runSuite,
  unclaimUnsupported,
} from "../../harness/core/index.js";
import { openHttpChannel } from "../../harness/node/channels/http.js";
import { fipa } from "../../suites/fipa/index.js";
import { fakeAgent, type Fault } from "./helpers/fake-agent.js";

async function run(faults: Fault[]) {
  const channel = memoryChannel(fakeAgent({ faults }), { agent: "agent" });
  try {
    return await runSuite(fipa, {
      channel,
      backchannel: messageBackchannel(channel, { timeout: 200 }),
      features: ["core.passive", "core.active"],
      timeout: 300,
    });
  } finally {
    await channel.close();
  }
}

describe("an agent whose backchannel answers 127 to every action (issue 11, item 6)", () => {
  it("has its active junctions moved to not run, with the hint, when they were not claimed", async () => {
    const report = await run(["no-agact"]);
    expect(report.results.filter((r) => r.junction === "core.active").every((r) => r.unsupported !== undefined)).toBe(
      true,
    );
    expect(unclaimUnsupported(report)).toEqual(["core.active"]);
    expect(report.junctions.map((j) => j.junction)).toEqual(["core.passive"]);
    expect(report.results.some((r) => r.junction === "core.active")).toBe(false);
    expect(report.not_run).toEqual([
      {
        junction: "core.active",
        reason: expect.stringMatching(
          /^the message backchannel answered 127 \(unsupported\) to every action its tests need \(`send`.*\): claim it with --features to score it anyway, or pass --backchannel none$/,
        ),
      },
    ]);
  });

  it("an agent that speaks agact keeps its active junctions scored", async () => {
    const report = await run([]);
    expect(unclaimUnsupported(report)).toEqual([]);
    expect(report.junctions.map((j) => [j.junction, j.score])).toEqual([
      ["core.passive", "interoperable"],
      ["core.active", "interoperable"],
    ]);
  });
});

describe("the preflight before a suite against an HTTP endpoint", () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  /** An endpoint answering every POST with `status` (or never, for `hang`). */
  async function endpoint(status: number | "hang"): Promise<{ url: string; posts: () => number }> {
    let posts = 0;
    server = createServer((req, res) => {
      posts++;
      req.resume();
      if (status === "hang") return;
      res.writeHead(status, { "content-type": "application/json" }).end(status < 300 ? "" : '{"error":"no"}');
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/agent`, posts: () => posts };
  }

  it.each([404, 405, 500, 502])(
    "an endpoint answering %i is unreachable, naming the URL and the answer",
    async (status) => {
      const { url } = await endpoint(status);
      const channel = await openHttpChannel({ endpoint: url, agent: url });
      try {
        const error = await preflight(channel, 2_000).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AgentUnreachable);
        expect((error as Error).message).toContain(`POST ${url} answered HTTP ${status}`);
      } finally {
        await channel.close();
      }
    },
  );

  it("an endpoint that never answers is unreachable once the preflight's time is up", async () => {
    const { url, posts } = await endpoint("hang");
    const channel = await openHttpChannel({ endpoint: url, agent: url });
    try {
      const error = await preflight(channel, 300).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AgentUnreachable);
      expect((error as Error).message).toBe(
        `POST ${url} did not answer within 300 ms (a preflight inform before the suite); is the agent listening there?`,
      );
      expect(posts()).toBe(1);
    } finally {
      await channel.close();
    }
  });

  it.each([200, 202, 400])("an endpoint answering %i is listening: the suite may run", async (status) => {
    const { url, posts } = await endpoint(status);
    const channel = await openHttpChannel({ endpoint: url, agent: url });
    try {
      await expect(preflight(channel, 2_000)).resolves.toBeUndefined();
      expect(posts()).toBe(1);
    } finally {
      await channel.close();
    }
  });
});
