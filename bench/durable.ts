import { readFileSync } from "node:fs";
import { startRuntime } from "../worker/local/runtime.js";
import { type Summary, sideBySide, summarize } from "./stats.js";

const counter = readFileSync("fixtures/agents/counter.wasm");

/** One memory size: request→reply of a count message with that much memory in the agent. */
export type DurableFigure = { mib: number; fresh: boolean; reply: Summary; baseline: Summary };

/**
 * Durable agents: what a checkpoint costs per message against the agent's memory size. The
 * counter agent gets N MiB of ballast (one non-zero byte per page, so nothing is skipped as
 * zero); each count message then changes a few pages, and the glue hashes every page against its
 * stored hashes. Side by side with the same agent at 1 MiB. (Fresh-isolate mode is not measured:
 * with two agents of a few MiB alternating, local workerd restarts the runtime, see the README.)
 */
export async function benchDurable(rounds: number): Promise<DurableFigure[]> {
  const out: DurableFigure[] = [];
  for (const [fresh, sizes] of [[false, [16, 32]]] as const) {
    const token = "bench";
    const headers = { authorization: `Bearer ${token}` };
    const runtime = await startRuntime({ port: 0, token, persistTo: false, freshIsolates: fresh });
    try {
      const post = async (path: string, body: BodyInit, extra: Record<string, string> = {}) => {
        const r = await fetch(`${runtime.url}${path}`, { method: "POST", headers: { ...headers, ...extra }, body });
        if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`);
        return (await r.json()) as { performative?: string; content?: unknown };
      };
      const deploy = (name: string) => {
        const form = new FormData();
        form.set("module", new Blob([counter]), "counter.wasm");
        form.set("manifest", JSON.stringify({ limits: { memory_bytes: 96 * 1024 * 1024 } }));
        return post(`/v1/agents?name=${name}`, form);
      };
      const ask = async (name: string, content: object) => {
        const reply = await post(
          "/v1/messages?wait=30000",
          JSON.stringify({ performative: "request", sender: "bench", receiver: name, content }),
        );
        if (reply.performative !== "inform") throw new Error(`${name}: unexpected reply ${JSON.stringify(reply)}`);
      };
      await deploy("small");
      await ask("small", { op: "ballast", mib: 1 });
      for (const mib of sizes) {
        const name = `big-${mib}`;
        await deploy(name);
        await ask(name, { op: "ballast", mib });
        for (let i = 0; i < 3; i++) {
          await ask("small", { op: "count" });
          await ask(name, { op: "count" });
        }
        const [big, small] = await sideBySide(
          rounds,
          () => ask(name, { op: "count" }),
          () => ask("small", { op: "count" }),
        );
        out.push({ mib, fresh, reply: summarize(big), baseline: summarize(small) });
      }
    } finally {
      await runtime.stop();
    }
  }
  return out;
}
