import { readFileSync } from "node:fs";
import { startRuntime } from "../worker/local/runtime.js";
import { startFloor } from "./floor.js";
import { type Summary, summarize } from "./stats.js";

/** The message path beside its floor (issue #14): sequential latency and 8-client throughput. */
export type PathFigures = {
  /** request→reply to ping: agtest (`POST /v1/messages?wait`), floor (c), floor (d). */
  latency: { agtest: Summary; floorC: Summary; floorD: Summary };
  /** Replies per second with 8 clients, each target in interleaved time slices. */
  throughput: { agtest: number; floorC: number; floorD: number; clients: number };
};

const REQUEST = JSON.stringify({ performative: "request", sender: "bench", receiver: "ping", content: "ping" });

/**
 * Measures agtest's request→reply path and the floor's side by side: every round asks each of the
 * three in a rotating order (so all see the same load), then 8 clients hammer each target in
 * alternating 500 ms slices.
 */
export async function benchPath(rounds: number): Promise<PathFigures> {
  const token = "bench";
  const runtime = await startRuntime({ port: 0, token, persistTo: false });
  const floor = await startFloor();
  try {
    const headers = { authorization: `Bearer ${token}` };
    const deployed = await fetch(`${runtime.url}/v1/agents?name=ping`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/wasm" },
      body: readFileSync("fixtures/agents/ping.wasm"),
    });
    if (deployed.status !== 201) throw new Error(`deploy ping: ${deployed.status} ${await deployed.text()}`);
    const check = async (res: Response, what: string) => {
      const body = (await res.json()) as { content?: string };
      if (body.content !== "pong") throw new Error(`${what}: unexpected reply ${res.status} ${JSON.stringify(body)}`);
    };
    const targets = {
      agtest: () =>
        fetch(`${runtime.url}/v1/messages?wait=5000`, { method: "POST", headers, body: REQUEST }).then((r) =>
          check(r, "agtest"),
        ),
      floorC: () => fetch(`${floor.url}/c`, { method: "POST", body: REQUEST }).then((r) => check(r, "floor (c)")),
      floorD: () => fetch(`${floor.url}/d`, { method: "POST", body: REQUEST }).then((r) => check(r, "floor (d)")),
    };
    const names = Object.keys(targets) as (keyof typeof targets)[];
    for (let i = 0; i < 20; i++) for (const n of names) await targets[n]();

    const samples: Record<keyof typeof targets, number[]> = { agtest: [], floorC: [], floorD: [] };
    for (let i = 0; i < rounds; i++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(i + k) % names.length] as keyof typeof targets;
        const t0 = performance.now();
        await targets[name]();
        samples[name].push(performance.now() - t0);
      }
    }

    const clients = 8;
    const done: Record<keyof typeof targets, { n: number; ms: number }> = {
      agtest: { n: 0, ms: 0 },
      floorC: { n: 0, ms: 0 },
      floorD: { n: 0, ms: 0 },
    };
    const slices = Math.max(2, Math.floor(rounds / 50));
    for (let s = 0; s < slices; s++) {
      for (const name of names) {
        const until = performance.now() + 500;
        const t0 = performance.now();
        let n = 0;
        await Promise.all(
          Array.from({ length: clients }, async () => {
            while (performance.now() < until) {
              await targets[name]();
              n++;
            }
          }),
        );
        done[name].n += n;
        done[name].ms += performance.now() - t0;
      }
    }
    const perSec = (name: keyof typeof targets) => (done[name].n * 1000) / done[name].ms;
    return {
      latency: {
        agtest: summarize(samples.agtest),
        floorC: summarize(samples.floorC),
        floorD: summarize(samples.floorD),
      },
      throughput: { agtest: perSec("agtest"), floorC: perSec("floorC"), floorD: perSec("floorD"), clients },
    };
  } finally {
    await Promise.all([runtime.stop(), floor.stop()]);
  }
}
