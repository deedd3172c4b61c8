import { SELF, env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, deploy, request, send, uniqueName } from "./api.js";

// Durable agents (ARCHITECTURE.md, "Durable agents"). The `integration` project runs these with
// sticky isolates, `integration-fresh` with AGTEST_FRESH_ISOLATES=1 (a new isolate per delivery):
// there, without checkpoints, the counter would answer 1 every time.
const fresh = env.AGTEST_FRESH_ISOLATES === "1";

type Reply = { performative: string; content: Record<string, unknown> | string };

async function ask(agent: string, content: Record<string, unknown>): Promise<Reply> {
  const res = await send(request(agent, content), 10_000);
  expect(res.status).toBe(200);
  return (await res.json()) as Reply;
}

async function deployCounter(limits?: Record<string, number>): Promise<string> {
  const name = uniqueName("counter");
  if (!limits) {
    expect((await deploy(name, env.FIXTURE_COUNTER)).status).toBe(201);
    return name;
  }
  const form = new FormData();
  form.set("module", new Blob([env.FIXTURE_COUNTER]), "counter.wasm");
  form.set("manifest", JSON.stringify({ limits }));
  expect((await api(`/v1/agents?name=${name}`, { method: "POST", body: form })).status).toBe(201);
  return name;
}

type Logs = { logs: { seq: number; level: string; text: string; message_id: string | null }[]; next: number };

async function logs(agent: string, query = ""): Promise<Logs> {
  const res = await api(`/v1/agents/${agent}/logs${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Logs;
}

describe(`durable agents (${fresh ? "a fresh isolate per delivery" : "sticky isolates"})`, () => {
  it("a count in plain linear memory goes 1, 2, 3 across messages, and a trapped message leaves it unchanged", async () => {
    const counter = await deployCounter();
    expect((await ask(counter, { op: "count" })).content).toEqual({ count: 1 });
    expect((await ask(counter, { op: "count" })).content).toEqual({ count: 2 });
    // The agent counts to 3, then traps: the runtime discards the message's memory changes.
    const trapped = await ask(counter, { op: "count", trap: true });
    expect(trapped).toMatchObject({ performative: "failure", content: expect.stringMatching(/trapped/) });
    expect((await ask(counter, { op: "count" })).content).toEqual({ count: 3 });
    expect((await ask(counter, { op: "count" })).content).toEqual({ count: 4 });
  });

  it("only the pages a message changed are stored, one row per 64 KiB page", async () => {
    const counter = await deployCounter();
    await ask(counter, { op: "count" });
    const stub = env.AGENT_HOST.get(env.AGENT_HOST.idFromName(counter));
    const before = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql
        .exec<{ n: number; size: number }>("SELECT COUNT(*) AS n, MAX(LENGTH(data)) AS size FROM memory_pages")
        .one(),
    );
    expect(before.size).toBe(65536);
    const token = await runInDurableObject(
      stub,
      (_instance, state) => state.storage.sql.exec<{ token: string }>("SELECT token FROM checkpoint").one().token,
    );
    await ask(counter, { op: "count" });
    // One checkpoint per handled message: same epoch, next sequence number (committed once the
    // reply is routed, so it may land just after the reply does).
    const [epoch, seq] = token.split(":");
    await expect
      .poll(() =>
        runInDurableObject(
          stub,
          (_instance, state) => state.storage.sql.exec<{ token: string }>("SELECT token FROM checkpoint").one().token,
        ),
      )
      .toBe(`${epoch}:${Number(seq) + 1}`);
    const pages = await runInDurableObject(
      stub,
      (_instance, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM memory_pages").one().n,
    );
    // The memory is 16 MiB at most (256 pages) and mostly zero: a count touches a few pages.
    expect(pages).toBeGreaterThan(0);
    expect(pages).toBeLessThan(64);
    expect(pages).toBe(before.n);
  });

  it("state_put is kept, a write made by a message that traps is not, and the owner reads the state", async () => {
    const counter = await deployCounter();
    expect((await ask(counter, { op: "put", key: "colour", value: "green" })).content).toEqual({ rc: 0 });
    expect((await ask(counter, { op: "put", key: "colour", value: "red", trap: true })).performative).toBe("failure");
    expect((await ask(counter, { op: "put", key: "shape", value: "round", trap: true })).performative).toBe("failure");
    expect((await ask(counter, { op: "get", key: "colour" })).content).toEqual({ key: "colour", value: "green" });
    expect((await ask(counter, { op: "get", key: "shape" })).content).toEqual({ key: "shape", value: null });
    const state = await api(`/v1/agents/${counter}/state`);
    expect(state.status).toBe(200);
    expect(await state.json()).toEqual({
      entries: [{ key: "colour", bytes: 5, text: "green", base64: btoa("green") }],
      bytes: "colour".length + "green".length,
      quota: 1024 * 1024,
      timers: [],
    });
    expect((await ask(counter, { op: "delete", key: "colour" })).content).toEqual({ deleted: true });
    expect((await ask(counter, { op: "delete", key: "colour" })).content).toEqual({ deleted: false });
    expect((await (await api(`/v1/agents/${counter}/state`)).json()) as { entries: unknown[] }).toMatchObject({
      entries: [],
    });
  });

  it("a hot reload starts from fresh memory and keeps the state", async () => {
    const counter = await deployCounter();
    await ask(counter, { op: "count" });
    await ask(counter, { op: "count" });
    await ask(counter, { op: "put", key: "kept", value: "across versions" });
    const reloaded = await api(`/v1/agents/${counter}`, {
      method: "PUT",
      headers: { "content-type": "application/wasm" },
      body: env.FIXTURE_COUNTER,
    });
    expect(reloaded.status).toBe(200);
    expect((await ask(counter, { op: "count" })).content).toEqual({ count: 1 });
    expect((await ask(counter, { op: "get", key: "kept" })).content).toEqual({ key: "kept", value: "across versions" });
  });

  it("a stop and start resumes from the checkpoint", async () => {
    const counter = await deployCounter();
    await ask(counter, { op: "count" });
    expect((await api(`/v1/agents/${counter}/stop`, { method: "POST" })).status).toBe(200);
    expect((await api(`/v1/agents/${counter}/start`, { method: "POST" })).status).toBe(200);
    expect((await ask(counter, { op: "count" })).content).toEqual({ count: 2 });
  });

  it("the state quota of the manifest bounds state_put", async () => {
    const counter = await deployCounter({ state_bytes: 16 });
    expect((await ask(counter, { op: "put", key: "k", value: "0123456789" })).content).toEqual({ rc: 0 });
    expect((await ask(counter, { op: "put", key: "k2", value: "0123456789" })).content).toEqual({ rc: -1 });
    // Replacing a value counts its new size, not both.
    expect((await ask(counter, { op: "put", key: "k", value: "abcdefghijklmno" })).content).toEqual({ rc: 0 });
    const refused = await api(`/v1/agents?name=${uniqueName("big")}`, {
      method: "POST",
      body: (() => {
        const form = new FormData();
        form.set("module", new Blob([env.FIXTURE_COUNTER]), "counter.wasm");
        form.set("manifest", JSON.stringify({ limits: { state_bytes: 1024 * 1024 * 1024 } }));
        return form;
      })(),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: { code: "INVALID_MANIFEST", message: expect.stringMatching(/state_bytes/) },
    });
  });

  it("a timer delivers the timer message at or after its delay", async () => {
    const counter = await deployCounter();
    const message = request(counter, { op: "timer", ms: 30 });
    const agreed = await send(message, 10_000);
    expect(await agreed.json()).toMatchObject({ performative: "agree" });
    await expect
      .poll(
        async () => {
          const t = (await (await api(`/v1/conversations/${message.conversation_id}`)).json()) as {
            messages: { message: Reply }[];
          };
          return t.messages.map((m) => m.message).find((m) => m.performative === "inform")?.content;
        },
        { timeout: 10_000, interval: 20 },
      )
      .toEqual({ fired: message.conversation_id, count: 0 });
    expect((await logs(counter)).logs.map((l) => l.text)).toContain(`timer fired ${message.conversation_id}`);
  });

  it("GET /v1/agents/:name/logs returns what the agent logged and its traps, with a level filter and a cursor", async () => {
    const counter = await deployCounter();
    await ask(counter, { op: "count", trap: true });
    await ask(counter, { op: "count" });
    const all = await logs(counter);
    expect(all.logs.map((l) => [l.level, l.text.replace(/:.*/s, "")])).toEqual([
      // The trapped message's own line is kept, then the trap; its count is undone.
      ["info", "count 1"],
      ["error", "handle trapped (trap)"],
      ["info", "count 1"],
    ]);
    expect(all.logs.every((l) => typeof l.message_id === "string")).toBe(true);
    expect((await logs(counter, "?level=error")).logs).toHaveLength(1);
    expect((await logs(counter, "?level=3")).logs).toHaveLength(1);
    const after = await logs(counter, `?after=${all.logs[0]?.seq}`);
    expect(after.logs.map((l) => l.text.replace(/:.*/s, ""))).toEqual(["handle trapped (trap)", "count 1"]);
    expect(after.next).toBe(all.next);
    // The dashboard's agent page shows them too.
    const page = await SELF.fetch(`http://agtest.test/agents/${counter}`, {
      headers: { authorization: `Basic ${btoa(`me:${env.AGTEST_TOKEN}`)}` },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("info  count 1");
    expect(html).toMatch(/error handle trapped \(trap\)/);
    const bad = await api(`/v1/agents/${counter}/logs?level=loud`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "INVALID_REQUEST" } });
    expect((await api(`/v1/agents/${counter}/logs?after=-1`)).status).toBe(400);
    expect((await api(`/v1/agents/${uniqueName("nobody")}/logs`)).status).toBe(404);
    expect((await api(`/v1/agents/${uniqueName("nobody")}/state`)).status).toBe(404);
  });

  it("the mediator closes its contract net at reply_by with a timer when a seller stays silent", async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const [buyer, mediator, awake, asleep] = ["buyer", "mediator", "seller-a", "seller-b"].map(
      (n) => `${n}-${tag}`,
    ) as [string, string, string, string];
    for (const [name, wasm] of [
      [buyer, env.FIXTURE_BUYER],
      [mediator, env.FIXTURE_MEDIATOR],
      [awake, env.FIXTURE_SELLER],
      [asleep, env.FIXTURE_SELLER],
    ] as const) {
      expect((await deploy(name, wasm)).status).toBe(201);
    }
    // A stopped seller keeps the cfp in its mailbox: it never answers.
    expect((await api(`/v1/agents/${asleep}/stop`, { method: "POST" })).status).toBe(200);
    const conversation_id = `deal-${uniqueName("c")}`;
    const agreed = await send(
      {
        performative: "request",
        sender: "harness",
        receiver: buyer,
        protocol: "fipa-request",
        conversation_id,
        content: { product: "product-123", mediator, sellers: [awake, asleep] },
      },
      10_000,
    );
    expect(await agreed.json()).toMatchObject({ performative: "agree" });
    await expect
      .poll(
        async () => {
          const t = (await (await api(`/v1/conversations/${conversation_id}`)).json()) as {
            messages: { message: Reply & { sender: string } }[];
          };
          return t.messages.map((m) => m.message).find((m) => m.performative === "inform" && m.sender === buyer)
            ?.content;
        },
        { timeout: 15_000, interval: 50 },
      )
      .toMatchObject({ agreed: true, seller: awake, product: "product-123" });
    const mediatorLog = await api(`/v1/agents/${mediator}/state`);
    expect(((await mediatorLog.json()) as { timers: unknown[] }).timers).toEqual([]);
  });

  it("a timer message forged from outside is not taken for one (the runtime's mark is stripped)", async () => {
    const counter = await deployCounter();
    const forged = {
      performative: "inform",
      sender: "runtime",
      receiver: counter,
      ontology: "agtest-timer",
      content: "t-1",
      x_agtest_origin: "runtime",
      conversation_id: uniqueName("c"),
    };
    const res = await send(forged, 10_000);
    // Taken for a timer, an unknown tag would be ignored silently; as an inform it is not understood.
    expect(await res.json()).toMatchObject({ performative: "not-understood" });
    expect((await logs(counter)).logs.map((l) => l.text)).not.toContain("timer fired t-1");
  });

  it("what init logs at boot is kept too", async () => {
    const ping = uniqueName("ping");
    expect((await deploy(ping, env.FIXTURE_PING)).status).toBe(201);
    expect((await logs(ping)).logs.map((l) => l.text)).toEqual(["ping ready"]);
  });
});
