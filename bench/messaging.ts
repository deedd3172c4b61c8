import { readFileSync } from "node:fs";
import { MAX_LIMITS } from "../worker/limits.js";
import { startRuntime } from "../worker/local/runtime.js";
import { RuntimeClient } from "./client.js";
import { type Summary, summarize } from "./stats.js";

type Exports = { memory: WebAssembly.Memory; alloc(n: number): number; handle(p: number, n: number): number };

/** The baseline: the same module's `handle` called directly in Node, no runtime at all. */
export function inProcess(fixture: string): (message: string) => string[] {
  let exports: Exports | undefined;
  let sent: string[] = [];
  const decode = (ptr: number, len: number) =>
    new TextDecoder().decode(new Uint8Array((exports as Exports).memory.buffer, ptr, len));
  exports = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(`fixtures/agents/${fixture}.wasm`)), {
    agent: {
      send: (p: number, n: number) => (sent.push(decode(p, n)), 0),
      log: () => undefined,
      now: () => BigInt(Date.now()),
      random: () => undefined,
    },
    env: {
      abort: () => {
        throw new Error("abort");
      },
    },
  }).exports as unknown as Exports;
  const ex = exports;
  return (message) => {
    sent = [];
    const bytes = new TextEncoder().encode(message);
    const ptr = ex.alloc(bytes.length);
    new Uint8Array(ex.memory.buffer, ptr, bytes.length).set(bytes);
    ex.handle(ptr, bytes.length);
    return sent;
  };
}

/**
 * Agent→agent throughput on the durable path: two hosted echo agents answer each other until the
 * hop limit stops the loop (32 hops a loop); `loops` loops run at once. Beside it, the same number
 * of echo `handle` calls in process.
 */
export async function benchMessaging(loops: number): Promise<{
  runtimePerSec: number;
  inProcessPerSec: number;
  delivered: number;
  reply: Summary;
  replyInProcess: Summary;
}> {
  const token = "bench";
  const auth = { authorization: `Bearer ${token}` };
  const runtime = await startRuntime({ port: 0, token, persistTo: false });
  try {
    // At the runtime's maximum rate: many loops at once must measure delivery, not the rate limiter.
    const client = new RuntimeClient(runtime.url, token);
    for (const name of ["echo-a", "echo-b", "ping"]) {
      await client.deploy(name, name.startsWith("echo") ? "echo" : name, {
        limits: { rate_per_sec: MAX_LIMITS.rate_per_sec },
      });
    }
    // A GET, so retried when the server closed the kept-alive socket it was sent on (a race of
    // keep-alive timeouts on a busy machine, not a failure of the runtime).
    const get = async (url: string): Promise<Response> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fetch(url, { headers: auth });
        } catch (err) {
          if (attempt >= 3) throw err;
        }
      }
    };
    const agentMessages = async (id: string) => {
      const body = (await (await get(`${runtime.url}/v1/conversations/${id}`)).json()) as {
        messages: { origin: string; message: { content?: unknown } }[];
      };
      const done = body.messages.some((m) => String(m.message.content).startsWith("hop limit"));
      return { done, count: body.messages.filter((m) => m.origin === "agent").length };
    };
    const t0 = performance.now();
    const ids = Array.from({ length: loops }, (_, i) => `loop-${i}`);
    await Promise.all(
      ids.map((conversation_id) =>
        fetch(`${runtime.url}/v1/messages`, {
          method: "POST",
          headers: auth,
          body: JSON.stringify({
            performative: "inform",
            sender: "echo-b",
            receiver: "echo-a",
            content: "x",
            conversation_id,
          }),
        }),
      ),
    );
    let delivered = 0;
    for (const id of ids) {
      for (;;) {
        const { done, count } = await agentMessages(id);
        if (done) {
          delivered += count;
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    const seconds = (performance.now() - t0) / 1000;

    const echo = inProcess("echo");
    const message = JSON.stringify({
      performative: "inform",
      sender: "echo-b",
      receiver: "echo-a",
      content: "x",
      conversation_id: "c",
    });
    const t1 = performance.now();
    for (let i = 0; i < delivered; i++) echo(message);
    const inProcessSeconds = (performance.now() - t1) / 1000;

    // Request→reply latency to ping, beside ping's handle in process.
    const ping = inProcess("ping");
    const request = JSON.stringify({ performative: "request", sender: "bench", receiver: "ping", content: "ping" });
    const reply: number[] = [];
    const replyInProcess: number[] = [];
    for (let i = 0; i < 200; i++) {
      let t = performance.now();
      const res = await fetch(`${runtime.url}/v1/messages?wait=5000`, { method: "POST", headers: auth, body: request });
      if (res.status !== 200) throw new Error(`ping: ${res.status}`);
      await res.json();
      reply.push(performance.now() - t);
      t = performance.now();
      ping(request);
      replyInProcess.push(performance.now() - t);
    }
    return {
      runtimePerSec: delivered / seconds,
      inProcessPerSec: delivered / inProcessSeconds,
      delivered,
      reply: summarize(reply.slice(20)),
      replyInProcess: summarize(replyInProcess.slice(20)),
    };
  } finally {
    await runtime.stop();
  }
}
