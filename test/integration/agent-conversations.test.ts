import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, deploy, request, send, uniqueName } from "./api.js";

describe("GET /v1/agents/:name/conversations", () => {
  it("lists the conversations the agent received a message in, newest first", async () => {
    const name = uniqueName("echo");
    await deploy(name, env.FIXTURE_ECHO);
    const first = request(name, "one");
    const second = request(name, "two");
    expect((await send(first)).status).toBe(200);
    expect((await send(second)).status).toBe(200);
    const res = await api(`/v1/agents/${name}/conversations`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ conversations: [second.conversation_id, first.conversation_id] });
  });

  it("is 404 AGENT_NOT_FOUND for an agent that is not hosted, and needs the token", async () => {
    const res = await api(`/v1/agents/${uniqueName("nobody")}/conversations`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "AGENT_NOT_FOUND" } });
    const anonymous = await api(`/v1/agents/${uniqueName("nobody")}/conversations`, { headers: { authorization: "" } });
    expect(anonymous.status).toBe(401);
  });
});
