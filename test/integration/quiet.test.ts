import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, deploy, request, send, uniqueName } from "./api.js";

type Quiet = { quiet: boolean; state: string; mailbox: number; retrying: number; timers: number; waited_ms: number };

async function quiet(name: string, wait: number): Promise<Quiet> {
  const res = await api(`/v1/agents/${name}/quiet?wait=${wait}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Quiet;
}

describe("GET /v1/agents/:name/quiet", () => {
  it("is not quiet while a message waits, and quiet once it was handled and the reply routed", async () => {
    const name = uniqueName("echo");
    await deploy(name, env.FIXTURE_ECHO);
    await api(`/v1/agents/${name}/stop`, { method: "POST" });
    const msg = request(name, "hello");
    expect((await send(msg, null)).status).toBe(202);
    expect(await quiet(name, 0)).toMatchObject({ quiet: false, state: "stopped", mailbox: 1, timers: 0 });
    await api(`/v1/agents/${name}/start`, { method: "POST" });
    expect(await quiet(name, 10_000)).toMatchObject({ quiet: true, state: "running", mailbox: 0 });
    // Quiet means routed: the echo is in the conversation log already, with no waiting.
    const log = (await (await api(`/v1/conversations/${msg.conversation_id}`)).json()) as {
      messages: { origin: string }[];
    };
    expect(log.messages.map((m) => m.origin)).toEqual(["external", "agent"]);
  });

  it("a wait that runs out answers quiet: false with what is pending", async () => {
    const name = uniqueName("echo");
    await deploy(name, env.FIXTURE_ECHO);
    await api(`/v1/agents/${name}/stop`, { method: "POST" });
    await send(request(name, "held"), null);
    const state = await quiet(name, 100);
    expect(state).toMatchObject({ quiet: false, mailbox: 1 });
    expect(state.waited_ms).toBeGreaterThanOrEqual(100);
  });

  it("a pending timer keeps the agent from being quiet until it fired and its message was handled", async () => {
    const name = uniqueName("counter");
    expect((await deploy(name, env.FIXTURE_COUNTER)).status).toBe(201);
    const message = request(name, { op: "timer", ms: 300 });
    expect((await (await send(message, 10_000)).json()) as object).toMatchObject({ performative: "agree" });
    expect(await quiet(name, 0)).toMatchObject({ quiet: false, timers: 1 });
    expect(await quiet(name, 10_000)).toMatchObject({ quiet: true, timers: 0, mailbox: 0 });
    // Quiet means the timer's inform was already routed to the conversation.
    const log = (await (await api(`/v1/conversations/${message.conversation_id}`)).json()) as {
      messages: { message: { performative: string } }[];
    };
    expect(log.messages.map((m) => m.message.performative)).toContain("inform");
  });

  it("an idle agent is quiet at once", async () => {
    const name = uniqueName("ping");
    await deploy(name, env.FIXTURE_PING);
    expect(await quiet(name, 0)).toMatchObject({ quiet: true, mailbox: 0, retrying: 0, timers: 0 });
  });

  it("refuses an unknown agent (404) and a bad wait (400)", async () => {
    expect((await api(`/v1/agents/${uniqueName("nobody")}/quiet`)).status).toBe(404);
    const name = uniqueName("ping");
    await deploy(name, env.FIXTURE_PING);
    const bad = await api(`/v1/agents/${name}/quiet?wait=forever`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("INVALID_REQUEST");
    expect((await api(`/v1/agents/${name}/quiet?wait=60000`)).status).toBe(400);
  });
});
