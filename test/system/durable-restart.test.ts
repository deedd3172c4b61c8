import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type LocalRuntime, startRuntime } from "../../worker/local/runtime.js";

// Durable agents across a runtime restart: the isolates are gone, the agent host's SQLite is not.
const counter = readFileSync("fixtures/agents/counter.wasm");
const token = "system-token";
const headers = { authorization: `Bearer ${token}` };

async function ask(
  runtime: LocalRuntime,
  content: Record<string, unknown>,
  conversation = `c-${crypto.randomUUID().slice(0, 8)}`,
) {
  const res = await fetch(`${runtime.url}/v1/messages?wait=10000`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      performative: "request",
      sender: "h",
      receiver: "counter",
      protocol: "fipa-request",
      conversation_id: conversation,
      content,
    }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { performative: string; content: unknown };
}

async function get(runtime: LocalRuntime, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${runtime.url}${path}`, { headers });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe("durable agents survive a runtime restart", () => {
  const dir = mkdtempSync(join(tmpdir(), "agtest-durable-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("memory, state and a pending timer come back (fresh isolates on the second run)", async () => {
    const conversation = `timer-${crypto.randomUUID().slice(0, 8)}`;
    const first = await startRuntime({ port: 0, token, persistTo: dir });
    try {
      const deployed = await fetch(`${first.url}/v1/agents?name=counter`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/wasm" },
        body: counter,
      });
      expect(deployed.status).toBe(201);
      expect((await ask(first, { op: "count" })).content).toEqual({ count: 1 });
      expect((await ask(first, { op: "count" })).content).toEqual({ count: 2 });
      expect((await ask(first, { op: "put", key: "greeting", value: "hello" })).content).toEqual({ rc: 0 });
      // Long enough to be pending when this runtime stops (checked below, not assumed).
      expect((await ask(first, { op: "timer", ms: 6000 }, conversation)).performative).toBe("agree");
      const state = await get(first, "/v1/agents/counter/state");
      expect(state.timers).toEqual([{ due_at: expect.any(String), tag: conversation }]);
    } finally {
      await first.stop();
    }

    const second = await startRuntime({ port: 0, token, persistTo: dir, freshIsolates: true });
    try {
      expect((await ask(second, { op: "count" })).content).toEqual({ count: 3 });
      expect((await ask(second, { op: "get", key: "greeting" })).content).toEqual({ key: "greeting", value: "hello" });
      // The timer message arrives (the alarm survived the restart) and the request it answers was
      // kept in the agent's memory, restored from the checkpoint.
      await expect
        .poll(
          async () => {
            const t = (await get(second, `/v1/conversations/${conversation}`)) as {
              messages: { message: { performative: string; content: unknown } }[];
            };
            return t.messages.map((m) => m.message).find((m) => m.performative === "inform")?.content;
          },
          { timeout: 30_000, interval: 100 },
        )
        // Its count is 2 or 3: the timer may fire before or after the count above.
        .toMatchObject({ fired: conversation, count: expect.any(Number) });
      const logs = ((await get(second, "/v1/agents/counter/logs")) as { logs: { text: string }[] }).logs.map(
        (l) => l.text,
      );
      expect(logs.slice(0, 4)).toEqual(["count 1", "count 2", "put greeting", `timer set ${conversation}`]);
      expect(logs.slice(4).sort()).toEqual(["count 3", `timer fired ${conversation}`]);
      expect(((await get(second, "/v1/agents/counter/state")) as { timers: unknown[] }).timers).toEqual([]);
    } finally {
      await second.stop();
    }
  });
});
