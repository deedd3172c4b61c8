import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../worker/limits.js";
import { type ImportDesc, agentWithImport } from "../helpers/modules.js";
import { api, deploy, request, send, uniqueName } from "../integration/api.js";
import { isolateCode } from "../../worker/sandbox/index.js";

/** Tries every way out of an isolate: fetch, a raw socket, and whatever bindings it was given. */
const PROBE = String.raw`
export default {
  async fetch(request, env) {
    const out = { bindings: Object.keys(env ?? {}) };
    try {
      const res = await fetch("http://agtest.test/v1/health");
      out.fetch = "reached " + res.status;
    } catch (e) {
      out.fetch = "refused: " + e.message;
    }
    try {
      const { connect } = await import("cloudflare:sockets");
      const socket = connect("127.0.0.1:80");
      await socket.opened;
      out.connect = "opened";
    } catch (e) {
      out.connect = "refused: " + e.message;
    }
    return Response.json(out);
  },
};
`;

type Probe = { bindings: string[]; fetch: string; connect: string };

async function probe(code: WorkerLoaderWorkerCode): Promise<Probe> {
  const stub = env.LOADER.get(`probe-${crypto.randomUUID()}`, () => code);
  const res = await stub.getEntrypoint().fetch("http://probe/");
  return (await res.json()) as Probe;
}

describe("an agent isolate has no network", () => {
  it("with the agents' exact isolate options, fetch and sockets are refused and there are no bindings", async () => {
    const out = await probe(isolateCode(DEFAULT_LIMITS, "probe.js", { "probe.js": PROBE }));
    expect(out.bindings).toEqual([]);
    expect(out.fetch).toMatch(/^refused: .*not permitted to access the internet/);
    expect(out.connect).toMatch(/^refused: .*not permitted to access the internet/);
  });

  it("control: the same probe given an outbound reaches it, so the probe can tell", async () => {
    const out = await probe({
      ...isolateCode(DEFAULT_LIMITS, "probe.js", { "probe.js": PROBE }),
      globalOutbound: env.PROBE_OUTBOUND,
    });
    expect(out.fetch).toBe("reached 200");
  });
});

type ErrorBody = { error: { code: string; message: string } };
const I32 = 0x7f;
const I64 = 0x7e;

describe("an agent module can import nothing but the agent ABI", () => {
  it("control: the same builder with `agent.send (i32, i32) -> i32` deploys", async () => {
    const res = await deploy(
      uniqueName("ok"),
      agentWithImport("agent", "send", { kind: "func", params: [I32, I32], results: [I32] }),
    );
    expect(res.status).toBe(201);
  });

  it.each<[string, string, ImportDesc, RegExp]>([
    [
      "wasi_snapshot_preview1",
      "path_open",
      { kind: "func", params: [I32, I32, I32, I32, I32, I64, I64, I32, I32], results: [I32] },
      /forbidden import .*WASI/,
    ],
    // Allowed by name (the WASI subset), refused with another signature.
    [
      "wasi_snapshot_preview1",
      "fd_write",
      { kind: "func", params: [I32, I32], results: [I32] },
      /must be a function \(i32, i32, i32, i32\) -> i32/,
    ],
    [
      "wasi_snapshot_preview1",
      "sock_open",
      { kind: "func", params: [I32, I32, I32], results: [I32] },
      /forbidden import .*WASI/,
    ],
    ["env", "fetch", { kind: "func", params: [I32, I32], results: [I32] }, /forbidden import/],
    [
      "agent",
      "fetch",
      { kind: "func", params: [I32, I32], results: [I32] },
      /provides only send, log, now, random, state_get, state_put, state_delete and timer_set/,
    ],
    [
      "agent",
      "read_mailbox",
      { kind: "func", params: [I32, I32], results: [I32] },
      /provides only send, log, now, random, state_get, state_put, state_delete and timer_set/,
    ],
    ["agent", "send", { kind: "func", params: [I64], results: [] }, /must be a function/],
    ["env", "abort", { kind: "func", params: [I32], results: [] }, /must be a function/],
    ["env", "memory", { kind: "memory" }, /imported memory/],
    ["env", "table", { kind: "table" }, /forbidden import/],
    ["agent", "send", { kind: "global" }, /must be a function/],
  ])("%s.%s (%o) is refused at deploy with INVALID_WASM", async (module, field, desc, why) => {
    const name = uniqueName("imp");
    const res = await deploy(name, agentWithImport(module, field, desc));
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("INVALID_WASM");
    expect(body.error.message).toMatch(why);
    expect((await api(`/v1/agents/${name}`)).status).toBe(404);
  });
});

type Stats = { state: string; stats: { messages_in: number; mailbox_depth: number } };

async function agent(name: string): Promise<Stats> {
  return (await (await api(`/v1/agents/${name}`)).json()) as Stats;
}

async function transcript(id: string): Promise<{ message: Record<string, unknown> }[]> {
  const res = await api(`/v1/conversations/${encodeURIComponent(id)}`);
  if (res.status === 404) return [];
  return ((await res.json()) as { messages: { message: Record<string, unknown> }[] }).messages;
}

describe("agents are isolated from each other", () => {
  it("two agents from the same module keep separate memory (separate isolates)", async () => {
    const a = uniqueName("chain");
    const b = uniqueName("chain");
    expect((await deploy(a, env.FIXTURE_CHAIN_RELAY)).status).toBe(201);
    expect((await deploy(b, env.FIXTURE_CHAIN_RELAY)).status).toBe(201);
    for (let i = 0; i < 3; i++) {
      const res = await send(request(a, {}));
      expect(await res.json()).toMatchObject({ performative: "inform", content: { handled: i + 1, by: a } });
    }
    const res = await send(request(b, {}));
    expect(await res.json()).toMatchObject({ performative: "inform", content: { handled: 1, by: b } });
  });

  it("a message to one agent is never delivered to, nor seen by, another", async () => {
    const a = uniqueName("echo");
    const b = uniqueName("echo");
    expect((await deploy(a, env.FIXTURE_ECHO)).status).toBe(201);
    expect((await deploy(b, env.FIXTURE_ECHO)).status).toBe(201);
    const secret = `secret-${crypto.randomUUID()}`;
    const toA = request(a, secret);
    expect(await (await send(toA)).json()).toMatchObject({ sender: a, content: secret });
    const toB = request(b, "hello");
    expect(await (await send(toB)).json()).toMatchObject({ sender: b, content: "hello" });
    // B handled exactly its own message; nothing B emitted carries A's secret.
    expect((await agent(b)).stats.messages_in).toBe(1);
    const fromB = (await transcript(toB.conversation_id)).filter((m) => m.message.sender === b);
    expect(fromB).toHaveLength(1);
    expect(JSON.stringify(fromB)).not.toContain(secret);
    const deadB = (await (await api(`/v1/agents/${b}/dead-letters`)).json()) as { dead_letters: unknown[] };
    expect(deadB.dead_letters).toEqual([]);
  });

  it("a name cannot be taken over while in use, and a re-used name starts with an empty mailbox", async () => {
    const name = uniqueName("echo");
    expect((await deploy(name, env.FIXTURE_ECHO)).status).toBe(201);
    expect((await deploy(name, env.FIXTURE_PING)).status).toBe(409);
    // Messages waiting for the first owner are answered, not handed to the next one.
    expect((await api(`/v1/agents/${name}/stop`, { method: "POST" })).status).toBe(200);
    const waiting = request(name, `for-the-first-owner-${crypto.randomUUID()}`);
    expect((await send(waiting, null)).status).toBe(202);
    expect((await agent(name)).stats.mailbox_depth).toBe(1);
    expect((await api(`/v1/agents/${name}`, { method: "DELETE" })).status).toBe(204);
    expect((await deploy(name, env.FIXTURE_ECHO)).status).toBe(201);
    const fresh = await agent(name);
    expect(fresh.stats).toMatchObject({ messages_in: 0, mailbox_depth: 0 });
    const log = await transcript(waiting.conversation_id);
    expect(log.map((m) => m.message.performative)).toEqual(["request", "failure"]);
    expect(log[1]?.message.content).toMatch(/was deleted before it handled the message/);
  });
});
