import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, deploy, request, send, uniqueName } from "./api.js";

describe("the seed scenario", () => {
  it("deploys ping, gets pong, deletes it, and then it is gone", async () => {
    const name = uniqueName("ping");
    const created = await deploy(name, env.FIXTURE_PING);
    expect(created.status).toBe(201);
    const record = (await created.json()) as { state: string; version: number; name: string };
    expect(record).toMatchObject({ name, state: "running", version: 1 });

    const msg = request(name, "ping");
    const reply = await send(msg);
    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({
      performative: "inform",
      content: "pong",
      sender: name,
      receiver: "harness",
      conversation_id: msg.conversation_id,
      in_reply_to: msg.reply_with,
    });

    expect((await api(`/v1/agents/${name}`, { method: "DELETE" })).status).toBe(204);
    const gone = await api(`/v1/agents/${name}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: { code: "AGENT_NOT_FOUND" } });
  });
});
