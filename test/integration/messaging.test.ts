import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { api, deploy, request, send, uniqueName } from "./api.js";

type Logged = { seq: number; origin: string; violation: string | null; message: Record<string, unknown> };
type Transcript = {
  conversation_id: string;
  protocol: string | null;
  state: string;
  violations: number;
  messages: Logged[];
};

async function transcript(id: string): Promise<Transcript> {
  const res = await api(`/v1/conversations/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Transcript;
}

/** How long a delivery may take to show in a transcript, and how often to look. */
const DELIVERY = { timeout: 5000, interval: 20 };

describe("durable delivery", () => {
  it("a message sent while the agent is stopped is delivered after start, exactly once", async () => {
    const name = uniqueName("echo");
    await deploy(name, env.FIXTURE_ECHO);
    await api(`/v1/agents/${name}/stop`, { method: "POST" });
    const msg = request(name, "while stopped");
    const accepted = await send(msg, 300);
    expect(accepted.status).toBe(202);
    expect((await (await api(`/v1/agents/${name}`)).json()) as object).toMatchObject({
      state: "stopped",
      stats: { mailbox_depth: 1, messages_in: 0 },
    });

    // The same message again (same message_id): suppressed, not delivered twice.
    const { message_id } = (await accepted.json()) as { message_id: string };
    expect((await send({ ...msg, message_id }, null)).status).toBe(202);

    await api(`/v1/agents/${name}/start`, { method: "POST" });
    const replies = await vi.waitFor(async () => {
      const t = await transcript(msg.conversation_id);
      const informs = t.messages.filter((m) => m.message.performative === "inform");
      expect(informs.length).toBeGreaterThan(0);
      return informs;
    }, DELIVERY);
    // Nothing more is coming once the agent is quiet (mailbox empty, nothing in flight or retrying).
    expect(await (await api(`/v1/agents/${name}/quiet?wait=5000`)).json()).toMatchObject({ quiet: true });
    const final = await transcript(msg.conversation_id);
    expect(final.messages.filter((m) => m.message.performative === "inform")).toHaveLength(1);
    expect(replies[0]?.message).toMatchObject({ content: "while stopped", sender: name });
    expect((await (await api(`/v1/agents/${name}`)).json()) as object).toMatchObject({
      stats: { messages_in: 1, mailbox_depth: 0 },
    });
  });

  it("messages from one sender are handled in the order they were sent", async () => {
    const name = uniqueName("echo");
    await deploy(name, env.FIXTURE_ECHO);
    const conversation_id = `c-${crypto.randomUUID()}`;
    // Plain informs, outside any interaction protocol, so one conversation can carry them all.
    for (let i = 0; i < 20; i++) {
      const message = {
        performative: "inform",
        sender: "harness",
        receiver: name,
        content: i,
        conversation_id,
        reply_with: `r-${i}`,
      };
      expect((await send(message, null)).status).toBe(202);
    }
    const t = await vi.waitFor(async () => {
      const got = await transcript(conversation_id);
      expect(got.messages.filter((m) => m.message.sender === name)).toHaveLength(20);
      return got;
    }, DELIVERY);
    const order = t.messages.filter((m) => m.message.sender === name).map((m) => m.message.content);
    expect(order).toEqual([...Array(20).keys()]);
  });
});

describe("routing and conversations", () => {
  it("logs a request-reply conversation with its protocol state", async () => {
    const name = uniqueName("ping");
    await deploy(name, env.FIXTURE_PING);
    const msg = request(name, "ping");
    await send(msg);
    const t = await transcript(msg.conversation_id);
    expect(t).toMatchObject({ conversation_id: msg.conversation_id, protocol: "fipa-request", violations: 0 });
    expect(t.state).toMatch(/^done/);
    expect(t.messages.map((m) => [m.origin, m.message.performative])).toEqual([
      ["external", "request"],
      ["agent", "inform"],
    ]);
  });

  it("answers a protocol violation with not-understood and does not deliver it", async () => {
    const name = uniqueName("echo");
    await deploy(name, env.FIXTURE_ECHO);
    const conversation_id = `c-${crypto.randomUUID()}`;
    // accept-proposal opens no protocol: it needs a cfp and a propose first.
    const res = await send({
      performative: "accept-proposal",
      sender: "harness",
      receiver: name,
      protocol: "fipa-contract-net",
      conversation_id,
      reply_with: "r-1",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      performative: "not-understood",
      sender: name,
      in_reply_to: "r-1",
      x_agtest_origin: "runtime",
    });
    const t = await transcript(conversation_id);
    expect(t.violations).toBe(1);
    expect(t.messages[0]?.violation).toMatch(/accept-proposal/);
    expect(
      ((await (await api(`/v1/agents/${name}`)).json()) as { stats: { messages_in: number } }).stats.messages_in,
    ).toBe(0);
  });

  it("multicasts to several receivers", async () => {
    const a = uniqueName("echo");
    const b = uniqueName("echo");
    await deploy(a, env.FIXTURE_ECHO);
    await deploy(b, env.FIXTURE_ECHO);
    const msg = request(a, "both", { receiver: [a, b] });
    expect((await send(msg, null)).status).toBe(202);
    const senders = await vi.waitFor(async () => {
      const t = await transcript(msg.conversation_id);
      const from = t.messages.filter((m) => m.message.performative === "inform").map((m) => m.message.sender);
      expect(from).toHaveLength(2);
      return from;
    }, DELIVERY);
    expect([...senders].sort()).toEqual([a, b].sort());
  });

  it("two agents answering each other forever are stopped by the hop limit", async () => {
    const a = uniqueName("echo");
    const b = uniqueName("echo");
    await deploy(a, env.FIXTURE_ECHO);
    await deploy(b, env.FIXTURE_ECHO);
    // a's answer goes to b (reply_to), b's to a, and so on: echo answers everything.
    const msg = {
      performative: "inform",
      sender: b,
      receiver: a,
      content: "loop",
      conversation_id: `c-${crypto.randomUUID()}`,
    };
    expect((await send(msg, null)).status).toBe(202);
    const t = await vi.waitFor(
      async () => {
        const got = await transcript(msg.conversation_id);
        expect(got.messages.some((m) => String(m.message.content).startsWith("hop limit"))).toBe(true);
        return got;
      },
      { ...DELIVERY, timeout: 10_000 },
    );
    expect(t.messages.length).toBeLessThan(40);
  });

  it("the directory finds agents by service, type and protocol; deleting deregisters", async () => {
    const name = uniqueName("seller");
    const service = `sell-${crypto.randomUUID().slice(0, 6)}`;
    const form = new FormData();
    form.set("module", new Blob([env.FIXTURE_ECHO]), "echo.wasm");
    form.set(
      "manifest",
      JSON.stringify({
        services: [{ name: service, type: "shop", protocols: ["fipa-contract-net"], ontologies: ["products"] }],
      }),
    );
    expect((await api(`/v1/agents?name=${name}`, { method: "POST", body: form })).status).toBe(201);
    const find = async (query: string) =>
      ((await (await api(`/v1/directory?${query}`)).json()) as { agents: { name: string }[] }).agents.map(
        (a) => a.name,
      );
    expect(await find(`service=${service}`)).toEqual([name]);
    expect(await find(`service=${service}&protocol=fipa-contract-net&ontology=products&type=shop`)).toEqual([name]);
    expect(await find(`service=${service}&protocol=fipa-request`)).toEqual([]);
    await api(`/v1/agents/${name}`, { method: "DELETE" });
    expect(await find(`service=${service}`)).toEqual([]);
  });
});

describe("HTTP transports", () => {
  it("a hosted agent's public inbox needs no token and answers with ?wait", async () => {
    const name = uniqueName("ping");
    await deploy(name, env.FIXTURE_PING);
    const { SELF } = await import("cloudflare:test");
    const res = await SELF.fetch(`http://agtest.test/v1/agents/${name}/inbox?wait=5000`, {
      method: "POST",
      body: JSON.stringify({
        performative: "request",
        sender: "outsider",
        receiver: name,
        content: "ping",
        reply_with: "q",
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      performative: "inform",
      content: "pong",
      receiver: "outsider",
      in_reply_to: "q",
    });
    const wrong = await SELF.fetch(`http://agtest.test/v1/agents/${name}/inbox`, {
      method: "POST",
      body: JSON.stringify({ performative: "request", sender: "outsider", receiver: "someone-else", content: "ping" }),
    });
    expect(wrong.status).toBe(400);
  });

  it("an agtalk relay session collects what agents send to its address", async () => {
    const name = uniqueName("ping");
    await deploy(name, env.FIXTURE_PING);
    const session = (await (await api("/v1/agtalk/sessions", { method: "POST" })).json()) as {
      id: string;
      name: string;
      inbox_url: string;
    };
    expect(session.name).toBe(`agtalk-${session.id}`);
    // The harness speaks as the session; the agent's reply lands in the relay mailbox.
    expect((await send(request(name, "ping", { sender: session.name }), null)).status).toBe(202);
    const read = await api(`/v1/agtalk/sessions/${session.id}/messages?after=0&wait=5000`);
    const body = (await read.json()) as { messages: { seq: number; message: Record<string, unknown> }[]; next: number };
    expect(body.messages[0]?.message).toMatchObject({
      performative: "inform",
      content: "pong",
      receiver: session.name,
    });
    expect(body.next).toBe(body.messages[0]?.seq);

    // An external agent posts to the public inbox URL, even a malformed message: the relay keeps it as sent.
    const { SELF } = await import("cloudflare:test");
    const posted = await SELF.fetch(session.inbox_url.replace(/^https?:\/\/[^/]+/, "http://agtest.test"), {
      method: "POST",
      body: '{"hello":1}',
    });
    expect(posted.status).toBe(202);
    const more = (await (
      await api(`/v1/agtalk/sessions/${session.id}/messages?after=${body.next}&wait=1000`)
    ).json()) as typeof body;
    expect(more.messages.map((m) => m.message)).toEqual([{ hello: 1 }]);

    expect((await api(`/v1/agtalk/sessions/${session.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(`/v1/agtalk/sessions/${session.id}/messages`)).status).toBe(404);
  });

  it("a reply to a session's inbox URL is delivered in-process, without egress: the URL is the session's address", async () => {
    // The agent has no egress at all, and no request could leave the pool's worker anyway: only
    // the runtime recognising its own relay inbox can bring the reply there.
    const name = uniqueName("ping");
    await deploy(name, env.FIXTURE_PING);
    const session = (await (await api("/v1/agtalk/sessions", { method: "POST" })).json()) as {
      id: string;
      inbox_url: string;
    };
    expect((await send(request(name, "ping", { sender: session.inbox_url }), null)).status).toBe(202);
    const read = (await (await api(`/v1/agtalk/sessions/${session.id}/messages?after=0&wait=5000`)).json()) as {
      messages: { message: Record<string, unknown>; hops: number }[];
    };
    expect(read.messages.map((m) => m.message)).toMatchObject([
      { performative: "inform", content: "pong", receiver: session.inbox_url },
    ]);
    expect(read.messages[0]?.hops).toBe(1);

    // A URL with the path of an inbox but another session's id, or another host, is not taken for it.
    const other = session.inbox_url.replace(session.id, "0".repeat(32));
    const conversation = request(name, "ping", { sender: other });
    expect((await send(conversation, null)).status).toBe(202);
    const after = (await (await api(`/v1/agtalk/sessions/${session.id}/messages?after=1&wait=300`)).json()) as {
      messages: unknown[];
    };
    expect(after.messages).toEqual([]);
    await api(`/v1/agtalk/sessions/${session.id}`, { method: "DELETE" });
  });
});
