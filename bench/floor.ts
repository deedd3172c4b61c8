import { Log, Miniflare } from "miniflare";

/**
 * The floor of the message path (issue #14): minimal workers that do only what a durable
 * request→reply must do, written to find out how fast it can be on this workerd, not to be used.
 *
 * - (c) route → 1 Durable Object (SQLite write + read, then delete: the mailbox) → 1 Dynamic
 *   Worker wasm call (the ping fixture, uninstrumented) → the reply;
 * - (d) the same through 2 Durable Object hops (a router object that logs the message, then the
 *   agent's object).
 *
 * Both run in one Miniflare (one workerd), with the same Worker Loader binding the runtime uses.
 */
const FLOOR_WORKER = String.raw`
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";

const GLUE = ${"`"}
import { WorkerEntrypoint } from "cloudflare:workers";
import wasm from "agent.wasm";
let sent = [];
let ex;
const decode = (p, n) => new TextDecoder().decode(new Uint8Array(ex.memory.buffer, p, n));
const instance = new WebAssembly.Instance(wasm, {
  agent: { send: (p, n) => (sent.push(decode(p, n)), 0), log: () => {}, now: () => BigInt(Date.now()), random: () => {} },
  env: { abort: () => { throw new Error("abort"); } },
});
ex = instance.exports;
export default class extends WorkerEntrypoint {
  handle(text) {
    sent = [];
    const bytes = new TextEncoder().encode(text);
    const ptr = ex.alloc(bytes.length);
    new Uint8Array(ex.memory.buffer, ptr, bytes.length).set(bytes);
    ex.handle(ptr, bytes.length);
    return sent;
  }
}
${"`"};

function isolate(env) {
  return env.LOADER.get("floor-ping", () => ({
    compatibilityDate: "2026-04-20",
    mainModule: "glue.js",
    modules: { "glue.js": GLUE, "agent.wasm": { wasm: env.PING } },
    globalOutbound: null,
  }));
}

/** The agent's object: its mailbox in SQLite around one call into its isolate. */
export class FloorAgent extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS mailbox (id TEXT PRIMARY KEY, text TEXT NOT NULL)");
  }
  async deliver(id, text) {
    this.ctx.storage.sql.exec("INSERT INTO mailbox (id, text) VALUES (?, ?)", id, text);
    const row = this.ctx.storage.sql.exec("SELECT text FROM mailbox WHERE id = ?", id).one();
    const sent = await isolate(this.env).getEntrypoint().handle(row.text);
    this.ctx.storage.sql.exec("DELETE FROM mailbox WHERE id = ?", id);
    return sent[0] ?? null;
  }
}

/** (d)'s first hop: a conversation log, then the agent's object. */
export class FloorRouter extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL)");
  }
  async route(id, text) {
    this.ctx.storage.sql.exec("INSERT INTO log (text) VALUES (?)", text);
    const reply = await this.env.AGENT.get(this.env.AGENT.idFromName("ping")).deliver(id, text);
    if (reply) this.ctx.storage.sql.exec("INSERT INTO log (text) VALUES (?)", reply);
    return reply;
  }
}

export default {
  async fetch(request, env) {
    const text = await request.text();
    const id = crypto.randomUUID();
    const path = new URL(request.url).pathname;
    const reply =
      path === "/c"
        ? await env.AGENT.get(env.AGENT.idFromName("ping")).deliver(id, text)
        : await env.ROUTER.get(env.ROUTER.idFromName("router")).route(id, text);
    return new Response(reply, { headers: { "content-type": "application/json" } });
  },
};
`;

/** A running floor: POST a ping request to `${url}/c` or `${url}/d`. */
export type Floor = { url: string; stop(): Promise<void> };

/** Starts the floor workers on a free loopback port. */
export async function startFloor(): Promise<Floor> {
  const mf = new Miniflare({
    name: "floor",
    modules: true,
    script: FLOOR_WORKER,
    compatibilityDate: "2026-04-20",
    durableObjects: {
      AGENT: { className: "FloorAgent", useSQLite: true },
      ROUTER: { className: "FloorRouter", useSQLite: true },
    },
    workerLoaders: { LOADER: {} },
    dataBlobBindings: { PING: "fixtures/agents/ping.wasm" },
    host: "127.0.0.1",
    port: 0,
    cf: false,
    log: new Log(1),
  });
  const url = (await mf.ready).toString().replace(/\/$/, "");
  // Fail here, not in the middle of a measurement, if the floor does not answer pong.
  const probe = await fetch(`${url}/c`, {
    method: "POST",
    body: JSON.stringify({ performative: "request", sender: "bench", receiver: "ping", content: "ping" }),
  });
  const reply = (await probe.json()) as { content?: string };
  if (reply.content !== "pong") {
    await mf.dispose();
    throw new Error(`the floor worker did not answer pong: ${JSON.stringify(reply)}`);
  }
  return { url, stop: () => mf.dispose() };
}
