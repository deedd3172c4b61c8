import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, request, send, uniqueName } from "./api.js";

// The host's breaker and rate state lives in its SQLite (worker/host/counters.ts): an agent whose
// Durable Object is evicted (here: aborted, so the next call builds a new instance from storage)
// keeps its crash-loop trap count and its rate limit.

const MARK = Symbol.for("agtest.test.instance");
type Marked = { [MARK]?: true };

const hostOf = (name: string) => env.AGENT_HOST.get(env.AGENT_HOST.idFromName(name));

/** Evicts an agent's host and checks that the next call meets a new instance. */
async function evict(name: string): Promise<void> {
  const stub = hostOf(name);
  await runInDurableObject(stub, (instance) => {
    (instance as unknown as Marked)[MARK] = true;
  });
  await runInDurableObject(stub, (_instance, state) => state.abort("evicted by the test")).catch(() => undefined);
  // The aborted object's stub stays broken; a new stub reaches the new instance.
  expect(await runInDurableObject(hostOf(name), (instance) => (instance as unknown as Marked)[MARK])).toBeUndefined();
}

async function deployWith(name: string, wasm: ArrayBuffer, limits: Record<string, number> = {}): Promise<void> {
  const form = new FormData();
  form.set("module", new Blob([wasm]), `${name}.wasm`);
  form.set("manifest", JSON.stringify({ limits }));
  expect((await api(`/v1/agents?name=${name}`, { method: "POST", body: form })).status).toBe(201);
}

type Record_ = { state: string; termination_reason: string | null };
const record = async (name: string) => (await (await api(`/v1/agents/${name}`)).json()) as Record_;

describe("breaker and rate state survive the host's eviction", () => {
  it("four traps, an eviction, a fifth trap: the crash-loop breaker opens (5 traps in a minute)", async () => {
    const name = uniqueName("counter");
    await deployWith(name, env.FIXTURE_COUNTER);
    const trap = async () => {
      const res = await send(request(name, { op: "count", trap: true }), 10_000);
      expect(res.status).toBe(200);
      return (await res.json()) as { performative: string; content: string };
    };
    for (let i = 0; i < 4; i++) expect(await trap()).toMatchObject({ performative: "failure" });
    expect((await record(name)).state).toBe("running");
    await evict(name);
    expect(await trap()).toMatchObject({ performative: "failure", content: expect.stringMatching(/^CrashLoop/) });
    expect(await record(name)).toMatchObject({ state: "failed", termination_reason: "CrashLoop" });
  });

  it("a rate-limited agent, evicted, is still limited: no fresh burst", async () => {
    const RATE = 1; // a bucket of 2 s: 2 messages at once, then 1 per second
    const name = uniqueName("echo");
    await deployWith(name, env.FIXTURE_ECHO, { rate_per_sec: RATE });
    /** Sends until the first 429; returns how many were taken before it. */
    const untilLimited = async (): Promise<number> => {
      for (let taken = 0; taken < 20; taken++) {
        const res = await send(request(name, taken), null);
        await res.body?.cancel();
        if (res.status === 429) return taken;
        expect(res.status).toBe(202);
      }
      throw new Error("never rate limited");
    };
    expect(await untilLimited()).toBeGreaterThanOrEqual(2 * RATE);
    const emptyAt = Date.now();
    await evict(name);
    const taken = await untilLimited();
    // From an empty bucket (less than one token at `emptyAt`) only the refill since can be taken;
    // a host that forgot its bucket would take a whole new burst (2 s of the rate).
    const refill = Math.ceil(((Date.now() - emptyAt) / 1000) * RATE);
    expect(taken).toBeLessThanOrEqual(refill);
    expect(refill).toBeLessThan(2 * RATE); // else this run was too slow to tell the two apart
  });
});
