/**
 * The C and Rust sample agents (fixtures/agents/c, fixtures/agents/rust), built by this machine's
 * clang/lld, wasi-libc and rustc in the project's global setup (test/setup/native-agents.ts),
 * deployed to the real runtime. Where a compiler is missing the setup says so and these tests are
 * skipped, named with the reason; in CI the setup fails instead.
 */
import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { DEFAULT_LIMITS } from "../../worker/limits.js";
import { runInSandbox } from "../../worker/sandbox/index.js";
import { prepareModule } from "../../worker/wasm/index.js";
import "../helpers/native-agents.js";
import { api, deploy, request, send, uniqueName } from "./api.js";

const native = inject("nativeAgents");

function bytesOf(name: string): Uint8Array | undefined {
  const b64 = native.modules[name];
  return b64 === undefined ? undefined : Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** `it` for a test that needs the agent `name`: skipped, with why in its name, when it was not built. */
function withAgent(name: string, title: string, fn: (wasm: Uint8Array) => Promise<void>): void {
  const wasm = bytesOf(name);
  const why = native.missing[name];
  if (wasm === undefined) it.skip(`${title} [SKIPPED: ${why ?? "not built"}]`, () => {});
  else it(title, () => fn(wasm));
}

type Reply = Record<string, unknown>;

async function ask(
  receiver: string,
  content: unknown,
  extra: Record<string, unknown> = {},
): Promise<{ req: ReturnType<typeof request>; reply: Reply }> {
  const req = request(receiver, content, extra);
  const res = await send(req);
  expect(res.status).toBe(200);
  return { req, reply: (await res.json()) as Reply };
}

describe("C and Rust agents built from the SDKs answer ping with FIPA threading", () => {
  for (const name of ["c-ping", "c-ping-features", "rust-ping", "rust-wasi-ping", "c-wasi-reactor"]) {
    withAgent(name, `${name} deploys and answers request "ping" with inform "pong"`, async (wasm) => {
      const agent = uniqueName(name);
      const deployed = await deploy(agent, wasm);
      expect(deployed.status, await deployed.clone().text()).toBe(201);
      const { req, reply } = await ask(agent, "ping", { ontology: "agtest-ping", language: "text/plain" });
      expect(reply).toMatchObject({
        performative: "inform",
        content: "pong",
        sender: agent,
        receiver: "harness",
        conversation_id: req.conversation_id,
        in_reply_to: req.reply_with,
        protocol: "fipa-request",
        ontology: "agtest-ping",
        language: "text/plain",
      });
      // Anything else is not understood, and a not-understood is not answered.
      const { reply: other } = await ask(agent, "pong");
      expect(other).toMatchObject({ performative: "not-understood", sender: agent });
    });
  }

  for (const name of ["c-ping", "rust-ping"]) {
    withAgent(name, `${name}: reply_to wins over sender, and keeps its shape (a string or an array)`, async (wasm) => {
      const agent = uniqueName(name);
      expect((await deploy(agent, wasm)).status).toBe(201);
      const single = await ask(agent, "ping", { sender: "someone-else", reply_to: "harness" });
      expect(single.reply).toMatchObject({ performative: "inform", content: "pong", receiver: "harness" });
      const array = await ask(agent, "ping", { reply_to: ["harness"] });
      expect(array.reply).toMatchObject({ performative: "inform", content: "pong", receiver: ["harness"] });
    });
  }
});

describe("the helpers read JSON as JSON", () => {
  for (const name of ["c-ping", "rust-ping"]) {
    withAgent(
      name,
      `${name}: quotes and backslashes inside strings do not derail the scanner; an object content is not "ping"`,
      async (wasm) => {
        const agent = uniqueName(name);
        expect((await deploy(agent, wasm)).status).toBe(201);
        // `reply_with` first, full of what a naive scanner stops at: an escaped quote, a backslash,
        // braces, a comma and `"content":"x"` inside the string.
        const tricky = 'r-"1"\\ {,"content":"x"} ]';
        const { req, reply } = await ask(agent, "ping", { reply_with: tricky, ontology: 'a "quoted" ontology' });
        expect(reply).toMatchObject({
          performative: "inform",
          content: "pong",
          in_reply_to: tricky,
          ontology: 'a "quoted" ontology',
          conversation_id: req.conversation_id,
        });
        const { reply: object } = await ask(agent, { text: "ping" });
        expect(object).toMatchObject({ performative: "not-understood" });
      },
    );
  }
});

describe("a deployed wasi-libc reactor's printf lines are in its logs", () => {
  withAgent(
    "c-wasi-reactor",
    "GET /v1/agents/:name/logs has the constructor's line (at deploy) and each message's",
    async (wasm) => {
      const agent = uniqueName("c-wasi");
      expect((await deploy(agent, wasm)).status).toBe(201);
      const { reply } = await ask(agent, "ping");
      expect(reply).toMatchObject({ performative: "inform", content: "pong" });
      type Logs = { logs: { level: string; text: string }[] };
      const lines = async () =>
        ((await (await api(`/v1/agents/${agent}/logs`)).json()) as Logs).logs.map((l) => `${l.level} ${l.text}`);
      await expect
        .poll(lines)
        .toEqual([
          "info constructor ran",
          expect.stringMatching(/^info handle: \d+ bytes, clock set$/),
          "error stderr works too",
        ]);
    },
  );
});

describe("stateful agents keep their count in linear memory", () => {
  for (const name of ["c-counter", "rust-counter"]) {
    withAgent(name, `${name} counts 1, 2, 3 across messages`, async (wasm) => {
      const agent = uniqueName(name);
      expect((await deploy(agent, wasm)).status).toBe(201);
      const counts: unknown[] = [];
      for (let i = 0; i < 3; i++) counts.push((await ask(agent, "count")).reply.content);
      expect(counts).toEqual([{ count: 1 }, { count: 2 }, { count: 3 }]);
      expect((await ask(agent, "get")).reply).toMatchObject({ performative: "inform", content: { count: 3 } });
    });
  }
});

describe("WASI reactors: _initialize runs once, printf and println! reach the agent's log", () => {
  const limits = DEFAULT_LIMITS;
  /** Runs the module through the real sandbox (Worker Loader isolate + glue), as the host does. */
  function sandbox(wasm: Uint8Array) {
    const prepared = prepareModule(wasm, { maxMemoryPages: limits.memory_bytes / 65536, fuel: BigInt(limits.fuel) });
    const key = { name: uniqueName("wasi"), version: 1, digest: crypto.randomUUID().replaceAll("-", "") };
    return (text: string | null) => runInSandbox(env.LOADER, key, limits, () => prepared.bytes.slice().buffer, text);
  }
  const message = (content: string) => JSON.stringify({ ...request("wasi", content), receiver: "wasi" });

  withAgent(
    "c-wasi-reactor",
    "the constructor ran at boot; printf lines of a message are its log lines",
    async (wasm) => {
      const run = sandbox(wasm);
      const boot = await run(null);
      expect(boot).toMatchObject({ ok: true, logs: [{ level: 1, text: "constructor ran" }] });
      const text = message("ping");
      const handled = await run(text);
      expect(handled).toMatchObject({ ok: true, rc: 0 });
      if (!handled.ok) return;
      // Two printf calls make one line (stdout is line-buffered: fd_fdstat_get says it is a tty).
      expect(handled.logs).toEqual([
        { level: 1, text: `handle: ${new TextEncoder().encode(text).length} bytes, clock set` },
        { level: 3, text: "stderr works too" },
      ]);
      expect(JSON.parse(handled.sent[0]!)).toMatchObject({ performative: "inform", content: "pong" });
    },
  );

  withAgent("c-wasi-reactor", "exit() traps with the exit code", async (wasm) => {
    const run = sandbox(wasm);
    const exited = await run(message("exit"));
    expect(exited).toMatchObject({
      ok: false,
      kind: "trap",
      phase: "handle",
      message: "proc_exit(3): the agent called exit",
    });
  });

  withAgent("rust-wasi-ping", "Rust's println! on wasm32-wasi is a log line", async (wasm) => {
    const run = sandbox(wasm);
    expect(await run(null)).toMatchObject({ ok: true, logs: [{ level: 1, text: "rust ping ready" }] });
    const handled = await run(message("ping"));
    expect(handled).toMatchObject({ ok: true, rc: 0, logs: [{ level: 1, text: "rust ping: request from harness" }] });
  });
});
