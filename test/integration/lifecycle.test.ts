import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, deploy, request, send, uniqueName } from "./api.js";

describe("lifecycle", () => {
  it("lists agents, stops and starts them", async () => {
    const name = uniqueName("echo");
    expect((await deploy(name, env.FIXTURE_ECHO)).status).toBe(201);
    const list = (await (await api("/v1/agents")).json()) as { agents: { name: string; state: string }[] };
    expect(list.agents.find((a) => a.name === name)).toMatchObject({ state: "running" });

    expect(await (await api(`/v1/agents/${name}/stop`, { method: "POST" })).json()).toMatchObject({ state: "stopped" });
    expect(await (await api(`/v1/agents/${name}/start`, { method: "POST" })).json()).toMatchObject({
      state: "running",
    });
    const reply = await send(request(name, { any: ["json", 1] }));
    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({ performative: "inform", content: { any: ["json", 1] } });
  });

  it("counts messages in the record", async () => {
    const name = uniqueName("ping");
    await deploy(name, env.FIXTURE_PING);
    for (let i = 0; i < 3; i++) await send(request(name, "ping"));
    const record = (await (await api(`/v1/agents/${name}`)).json()) as {
      stats: { messages_in: number; messages_out: number; fuel_used: number };
    };
    expect(record.stats).toMatchObject({ messages_in: 3, messages_out: 3 });
    expect(record.stats.fuel_used).toBeGreaterThan(0);
  });

  it("a message to an unknown agent is answered with failure, a malformed one is 400 naming the field", async () => {
    const nobody = uniqueName("nobody");
    const unknown = await send(request(nobody, "ping"));
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toMatchObject({
      performative: "failure",
      content: `unknown receiver \`${nobody}\``,
      x_agtest_origin: "runtime",
    });
    const bad = await send({ performative: "shout", sender: "h", receiver: "x" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: "INVALID_MESSAGE", message: expect.stringMatching(/^performative/) },
    });
  });

  it("hot reload under a stream of messages loses none", async () => {
    const name = uniqueName("hot");
    expect((await deploy(name, env.FIXTURE_PING)).status).toBe(201);
    type Answer = { n: number; after: boolean; status: number; body: { performative: string; content: unknown } };
    const answers: Promise<Answer>[] = [];
    let n = 0;
    const fire = (after: boolean) => {
      const i = n++;
      answers.push(
        send(request(name, { n: i }), 10_000).then(async (res) => ({
          n: i,
          after,
          status: res.status,
          body: (await res.json()) as Answer["body"],
        })),
      );
    };
    let reloaded = false;
    const reload = api(`/v1/agents/${name}`, {
      method: "PUT",
      headers: { "content-type": "application/wasm" },
      body: env.FIXTURE_ECHO,
    }).finally(() => (reloaded = true));
    // A steady stream while the reload is under way...
    while (!reloaded) {
      for (let k = 0; k < 5; k++) fire(false);
      await new Promise((r) => setTimeout(r, 2));
    }
    // ...and more once it has returned.
    for (let k = 0; k < 10; k++) fire(true);
    const res = await reload;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ version: 2, state: "running" });

    const all = await Promise.all(answers);
    // Every message got a reply: none lost, none refused.
    expect(all.filter((a) => a.status !== 200)).toEqual([]);
    // Before the switch ping answers (not-understood: it only knows "ping"), after it echo does.
    for (const a of all) expect(["inform", "not-understood"]).toContain(a.body.performative);
    expect(all.some((a) => a.body.performative === "not-understood")).toBe(true);
    for (const a of all.filter((x) => x.after))
      expect(a.body).toMatchObject({ performative: "inform", content: { n: a.n } });
  });
});
