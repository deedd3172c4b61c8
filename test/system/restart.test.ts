import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startRuntime } from "../../worker/local/runtime.js";

const ping = readFileSync("fixtures/agents/ping.wasm");
const token = "system-token";
const headers = { authorization: `Bearer ${token}` };

describe("persisted storage", () => {
  const dir = mkdtempSync(join(tmpdir(), "agtest-state-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("agents, versions and counters survive a runtime restart", async () => {
    const first = await startRuntime({ port: 0, token, persistTo: dir });
    try {
      const deployed = await fetch(`${first.url}/v1/agents?name=ping`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/wasm" },
        body: ping,
      });
      expect(deployed.status).toBe(201);
      const reply = await fetch(`${first.url}/v1/messages?wait=5000`, {
        method: "POST",
        headers,
        body: JSON.stringify({ performative: "request", sender: "h", receiver: "ping", content: "ping" }),
      });
      expect(await reply.json()).toMatchObject({ content: "pong" });
    } finally {
      await first.stop();
    }

    const second = await startRuntime({ port: 0, token, persistTo: dir });
    try {
      const record = await (await fetch(`${second.url}/v1/agents/ping`, { headers })).json();
      expect(record).toMatchObject({ name: "ping", state: "running", version: 1, stats: { messages_in: 1 } });
      const list = (await (await fetch(`${second.url}/v1/agents`, { headers })).json()) as {
        agents: { name: string }[];
      };
      expect(list.agents.map((a) => a.name)).toEqual(["ping"]);
      // The module bytes came back from SQLite: a fresh isolate answers.
      const reply = await fetch(`${second.url}/v1/messages?wait=5000`, {
        method: "POST",
        headers,
        body: JSON.stringify({ performative: "request", sender: "h", receiver: "ping", content: "ping" }),
      });
      expect(await reply.json()).toMatchObject({ performative: "inform", content: "pong" });
    } finally {
      await second.stop();
    }
  });
});
