import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type LocalRuntime, startRuntime } from "../../worker/local/runtime.js";

const token = "egress-token";
const auth = { authorization: `Bearer ${token}` };
const wasm = (name: string) => readFileSync(`fixtures/agents/${name}.wasm`);

/** A real external HTTP agent on loopback: records every message POSTed to it. */
function externalAgent(): Promise<{ url: string; received: Record<string, unknown>[]; server: Server }> {
  const received: Record<string, unknown>[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(202).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/agent`, received, server }),
    ),
  );
}

/** How long a POST out of the runtime may take to arrive, and how often to look. */
const ARRIVAL = { timeout: 10_000, interval: 20 };

/** The first message the outside agent received that matches, once one has. */
function arrived(outside: { received: Record<string, unknown>[] }, match: (m: Record<string, unknown>) => boolean) {
  return vi.waitFor(() => {
    const found = outside.received.find(match);
    expect(found).toBeDefined();
    return found;
  }, ARRIVAL);
}

describe("external agents over HTTP", () => {
  let runtime: LocalRuntime;
  let outside: Awaited<ReturnType<typeof externalAgent>>;

  beforeAll(async () => {
    // The listener is on loopback: the runtime must be told it may reach loopback at all.
    runtime = await startRuntime({ port: 0, token, persistTo: false, privateEgress: ["127.0.0.1"] });
    outside = await externalAgent();
  });
  afterAll(async () => {
    await runtime?.stop();
    outside?.server.close();
  });

  const deploy = async (name: string, fixture: string, manifest?: object) => {
    const form = new FormData();
    form.set("module", new Blob([wasm(fixture)]), `${fixture}.wasm`);
    if (manifest) form.set("manifest", JSON.stringify(manifest));
    const res = await fetch(`${runtime.url}/v1/agents?name=${name}`, { method: "POST", headers: auth, body: form });
    expect(res.status).toBe(201);
  };

  it("an external agent posts to a hosted agent's inbox and gets the reply POSTed back to its URL, on the agent's egress allowlist", async () => {
    await deploy("ping", "ping", { egress: ["127.0.0.1"] });
    const res = await fetch(`${runtime.url}/v1/agents/ping/inbox`, {
      method: "POST",
      body: JSON.stringify({
        performative: "request",
        sender: outside.url,
        receiver: "ping",
        content: "ping",
        reply_with: "x-1",
      }),
    });
    expect(res.status).toBe(202);
    const reply = await arrived(outside, (m) => m.in_reply_to === "x-1");
    expect(reply).toMatchObject({ performative: "inform", content: "pong", sender: "ping", receiver: outside.url });
  });

  it("a loopback listener named as sender and reply_to of an anonymous message receives nothing when the agent's egress does not list it", async () => {
    await deploy("ping-closed", "ping");
    const res = await fetch(`${runtime.url}/v1/agents/ping-closed/inbox?wait=10000`, {
      method: "POST",
      body: JSON.stringify({
        performative: "request",
        sender: outside.url,
        reply_to: outside.url,
        receiver: "ping-closed",
        content: "ping",
        reply_with: "x-2",
      }),
    });
    // The reply comes back in the response: the only place an anonymous sender may get it.
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ performative: "inform", content: "pong", in_reply_to: "x-2" });
    // Wait until ping has routed everything it caused (its mailbox is empty again), then look.
    const record = async () =>
      (await (await fetch(`${runtime.url}/v1/agents/ping-closed`, { headers: auth })).json()) as {
        stats: { messages_in: number; mailbox_depth: number };
      };
    for (let r = await record(); r.stats.messages_in < 1 || r.stats.mailbox_depth > 0; r = await record())
      await new Promise((done) => setTimeout(done, 25));
    // A protocol violation from the same sender: the runtime's not-understood does not go there either.
    const violation = await fetch(`${runtime.url}/v1/agents/ping-closed/inbox?wait=10000`, {
      method: "POST",
      body: JSON.stringify({
        performative: "agree",
        protocol: "fipa-request",
        sender: outside.url,
        receiver: "ping-closed",
        reply_with: "x-3",
      }),
    });
    expect(await violation.json()).toMatchObject({ performative: "not-understood", in_reply_to: "x-3" });
    expect(outside.received.filter((m) => m.in_reply_to === "x-2" || m.in_reply_to === "x-3")).toEqual([]);
  });

  it("an agent reaches an external URL only when its host is on the egress allowlist", async () => {
    await deploy("buyer-open", "buyer", { egress: ["127.0.0.1"] });
    await deploy("buyer-closed", "buyer");
    const ask = (buyer: string, conversation_id: string) =>
      fetch(`${runtime.url}/v1/messages`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({
          performative: "request",
          sender: "harness",
          receiver: buyer,
          protocol: "fipa-request",
          conversation_id,
          content: { product: "p", mediator: outside.url, sellers: ["s"] },
        }),
      });
    expect((await ask("buyer-open", "c-open")).status).toBe(202);
    const forwarded = await arrived(outside, (m) => m.conversation_id === "c-open/broker");
    expect(forwarded).toMatchObject({ performative: "request", sender: "buyer-open", receiver: outside.url });

    expect((await ask("buyer-closed", "c-closed")).status).toBe(202);
    // Until the buyer has routed its request the conversation does not exist (404): nothing yet.
    const transcript = async () => {
      const res = await fetch(`${runtime.url}/v1/conversations/${encodeURIComponent("c-closed/broker")}`, {
        headers: auth,
      });
      if (res.status === 404) return { messages: [] as { message: Record<string, unknown> }[] };
      return (await res.json()) as { messages: { message: Record<string, unknown> }[] };
    };
    let refused: Record<string, unknown> | undefined;
    for (let i = 0; i < 200 && !refused; i++) {
      refused = (await transcript()).messages.map((m) => m.message).find((m) => m.performative === "failure");
      if (!refused) await new Promise((r) => setTimeout(r, 25));
    }
    expect(refused).toMatchObject({
      receiver: "buyer-closed",
      content: expect.stringMatching(/egress to 127\.0\.0\.1:\d+ is not on buyer-closed's allowlist/),
    });
    expect(outside.received.some((m) => m.conversation_id === "c-closed/broker")).toBe(false);
  });
});
