import { readFileSync } from "node:fs";
import { startRuntime } from "../worker/local/runtime.js";
import { type Summary, sideBySide, summarize } from "./stats.js";

const ping = readFileSync("fixtures/agents/ping.wasm");

/** Runtime figures: request→reply through the runtime vs a bare Hono route, and cold deploy → first reply. */
export async function benchRuntime(rounds: number): Promise<{ reply: Summary; bare: Summary; cold: Summary }> {
  const token = "bench";
  const headers = { authorization: `Bearer ${token}` };
  const runtime = await startRuntime({ port: 0, token, persistTo: false });
  try {
    const deploy = (name: string) =>
      fetch(`${runtime.url}/v1/agents?name=${name}`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/wasm" },
        body: ping,
      }).then(async (r) => {
        if (r.status !== 201) throw new Error(`deploy ${name}: ${r.status} ${await r.text()}`);
      });
    const ask = (name: string) =>
      fetch(`${runtime.url}/v1/messages?wait=5000`, {
        method: "POST",
        headers,
        body: JSON.stringify({ performative: "request", sender: "bench", receiver: name, content: "ping" }),
      }).then(async (r) => {
        const body = (await r.json()) as { content?: string };
        if (body.content !== "pong") throw new Error(`ping: unexpected reply ${JSON.stringify(body)}`);
      });
    const bareRoute = () => fetch(`${runtime.url}/v1/health`).then((r) => r.json());

    await deploy("ping");
    for (let i = 0; i < 20; i++) await Promise.all([ask("ping"), bareRoute()]);
    const [reply, bare] = await sideBySide(rounds, () => ask("ping"), bareRoute);

    const cold: number[] = [];
    for (let i = 0; i < Math.max(5, Math.floor(rounds / 20)); i++) {
      const t0 = performance.now();
      await deploy(`cold-${i}`);
      await ask(`cold-${i}`);
      cold.push(performance.now() - t0);
    }
    return { reply: summarize(reply), bare: summarize(bare), cold: summarize(cold) };
  } finally {
    await runtime.stop();
  }
}
