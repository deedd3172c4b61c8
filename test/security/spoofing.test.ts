import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, deploy, request, send, uniqueName } from "../integration/api.js";

type Logged = { origin: string; message: Record<string, unknown> };

async function transcript(id: string): Promise<Logged[]> {
  const res = await api(`/v1/conversations/${encodeURIComponent(id)}`);
  if (res.status === 404) return [];
  return ((await res.json()) as { messages: Logged[] }).messages;
}

const messagesIn = async (name: string) =>
  ((await (await api(`/v1/agents/${name}`)).json()) as { stats: { messages_in: number } }).stats.messages_in;

describe("an agent cannot send as another agent, nor as the runtime", () => {
  it("a forged sender and runtime mark are rewritten: the receiver sees the spoofer, and answers it, not the victim", async () => {
    const spoofer = uniqueName("spoofer");
    const victim = uniqueName("echo");
    const target = uniqueName("echo");
    for (const [name, wasm] of [
      [spoofer, env.FIXTURE_SPOOFER],
      [victim, env.FIXTURE_ECHO],
      [target, env.FIXTURE_ECHO],
    ] as const) {
      expect((await deploy(name, wasm)).status).toBe(201);
    }
    const ask = request(spoofer, { as: victim, to: [target] });
    expect(await (await send(ask)).json()).toMatchObject({ performative: "inform", content: { accepted: 1 } });

    const id = `${ask.conversation_id}/spoof`;
    await expect.poll(async () => (await transcript(id)).length).toBe(2);
    const [forged, answer] = await transcript(id);
    // What the target got: from the spoofer, marked as an agent's message, without the runtime's mark.
    expect(forged).toMatchObject({
      origin: "agent",
      message: { performative: "inform", sender: spoofer, receiver: target, content: "spoofed" },
    });
    expect(forged?.message).not.toHaveProperty("x_agtest_origin");
    // The target's echo went back to the real sender.
    expect(answer?.message).toMatchObject({ sender: target, receiver: spoofer, content: "spoofed" });
    expect(await messagesIn(victim)).toBe(0);
  });

  it("control: the runtime's own messages do carry its mark", async () => {
    const message = request(`nobody-${crypto.randomUUID().slice(0, 8)}`, "hello");
    const res = await send(message);
    expect(await res.json()).toMatchObject({ performative: "failure", x_agtest_origin: "runtime" });
  });

  it("over the public inbox a sender is only a claim: logged as external, and it cannot pass for the runtime to the agent", async () => {
    const name = uniqueName("echo");
    expect((await deploy(name, env.FIXTURE_ECHO)).status).toBe(201);
    const claimed = { ...request(name, "hi"), sender: "runtime", x_agtest_origin: "runtime" };
    const res = await SELF.fetch(`http://agtest.test/v1/agents/${name}/inbox?wait=5000`, {
      method: "POST",
      body: JSON.stringify(claimed),
    });
    expect(res.status).toBe(200);
    const log = await transcript(claimed.conversation_id);
    expect(log[0]).toMatchObject({ origin: "external", message: { sender: "runtime" } });
    // The agent got the message without the runtime's mark (the log holds what was routed).
    expect(log[0]?.message).not.toHaveProperty("x_agtest_origin");
    expect(log[1]).toMatchObject({ origin: "agent", message: { sender: name } });
  });
});
