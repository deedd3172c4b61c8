import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  AgentUnreachable,
  BackchannelLies,
  httpBackchannel,
  messageBackchannel,
  probeBackchannel,
  runSuite,
} from "../../harness/core/index.js";
import { agentOfEndpoint, openHttpChannel } from "../../harness/node/channels/http.js";
import { fipa } from "../../suites/fipa/index.js";
import { fakeAgent } from "./helpers/fake-agent.js";
import { startHttpAgent } from "./helpers/http-agent.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe("the direct HTTP channel", () => {
  it.each(["sync", "async"] as const)(
    "the fipa core cluster passes over HTTP (%s answers; async ones come to the loopback reply_to)",
    async (answering) => {
      const agent = await startHttpAgent(fakeAgent({ name: "agent" }), answering);
      cleanup.push(() => agent.close());
      const channel = await openHttpChannel({ endpoint: agent.url, agent: "agent" });
      cleanup.push(() => channel.close());
      expect(channel.replyTo).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const report = await runSuite(fipa, {
        channel,
        backchannel: messageBackchannel(channel, { timeout: 1000 }),
        features: ["core.passive", "core.active"],
      });
      expect(report.results.filter((r) => r.status !== "pass")).toEqual([]);
      expect((agent.received[0] as { reply_to?: string }).reply_to).toBe(channel.replyTo);
      // Two of the twenty tests listen for silence (the adaptive window): seconds on a loaded machine.
    },
    30_000,
  );

  it("an endpoint nobody listens on is AgentUnreachable; a 4xx is a refusal with the reason", async () => {
    const agent = await startHttpAgent(() => undefined, "sync");
    const port = new URL(agent.url).port;
    await agent.close();
    const dead = await openHttpChannel({ endpoint: `http://127.0.0.1:${port}/`, agent: "x" });
    cleanup.push(() => dead.close());
    await expect(dead.send({ performative: "inform" })).rejects.toThrow(AgentUnreachable);
    const picky = createServer((_req, res) => {
      res
        .writeHead(400, { "content-type": "application/json" })
        .end('{"error":{"code":"INVALID_MESSAGE","message":"performative: expected one of FIPA\'s 22 acts"}}');
    });
    await new Promise<void>((r) => picky.listen(0, "127.0.0.1", r));
    cleanup.push(() => new Promise((r) => picky.close(() => r())));
    const channel = await openHttpChannel({
      endpoint: `http://127.0.0.1:${(picky.address() as AddressInfo).port}/`,
      agent: "x",
    });
    cleanup.push(() => channel.close());
    expect(await channel.send({ performative: "xyzzy" })).toEqual({
      status: "refused",
      reason: "HTTP 400: INVALID_MESSAGE performative: expected one of FIPA's 22 acts",
      httpStatus: 400,
    });
  });

  it("knows a hosted agent's name from its public inbox URL", () => {
    expect(agentOfEndpoint("http://127.0.0.1:8787/v1/agents/ping/inbox")).toBe("ping");
    expect(agentOfEndpoint("https://agents.example/bob")).toBe("https://agents.example/bob");
  });
});

describe("the HTTP backchannel (Aries Agent Test Harness shape)", () => {
  it("POSTs {data} to /agent/command/agact/ACTION and maps 200 / 404 / 501 / other", async () => {
    const calls: { url: string; body: unknown }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        calls.push({ url: req.url ?? "", body: JSON.parse(body) as unknown });
        const action = (req.url ?? "").split("/").pop();
        const status = action === "setup" ? 200 : action === "send" ? 501 : action === "boom" ? 500 : 404;
        res.writeHead(status).end(status === 500 ? "database on fire" : "");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    cleanup.push(() => new Promise((r) => server.close(() => r())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const bc = httpBackchannel(`${base}/`);
    expect(await bc.act("setup", ["core.passive.x"])).toEqual({ code: 0 });
    expect(calls[0]).toEqual({ url: "/agent/command/agact/setup", body: { data: { params: ["core.passive.x"] } } });
    expect((await bc.act("send", [])).code).toBe(127);
    expect((await bc.act("nope", [])).code).toBe(127);
    expect(await bc.act("boom", [])).toMatchObject({
      code: 1,
      detail: expect.stringContaining("HTTP 500 database on fire"),
    });
    await expect(probeBackchannel(bc)).resolves.toBeUndefined();
    const liar = createServer((_req, res) => res.writeHead(200).end());
    await new Promise<void>((r) => liar.listen(0, "127.0.0.1", r));
    cleanup.push(() => new Promise((r) => liar.close(() => r())));
    await expect(
      probeBackchannel(httpBackchannel(`http://127.0.0.1:${(liar.address() as AddressInfo).port}`)),
    ).rejects.toThrow(BackchannelLies);
    expect((await httpBackchannel("http://127.0.0.1:9").act("setup", [])).code).toBe(1);
  });
});
