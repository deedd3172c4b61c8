import { readFileSync } from "node:fs";
import { get } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageBackchannel, openRuntimeChannel, runSuite, toProfile } from "../../harness/core/index.js";
import { SUITES } from "../../suites/index.js";
import { type LocalRuntime, startRuntime } from "../../worker/local/runtime.js";

const token = "edge-runs";
const auth = { authorization: `Bearer ${token}` };
type Result = { test: string; status: string };

describe("edge-side runs against a real runtime", () => {
  let runtime: LocalRuntime;
  beforeAll(async () => {
    runtime = await startRuntime({ port: 0, token, persistTo: false, testScheduled: true });
    for (const name of ["ping", "echo"]) {
      const res = await fetch(`${runtime.url}/v1/agents?name=${name}`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/wasm" },
        body: readFileSync(`fixtures/agents/${name}.wasm`),
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => runtime?.stop());

  it("POST /v1/runs gives the same profile as the harness run from Node against the same agent", async () => {
    const features = ["core.passive", "core.active"];
    const posted = await fetch(`${runtime.url}/v1/runs`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ agent: "ping", features }),
    });
    expect(posted.status).toBe(201);
    const edge = (await posted.json()) as { profile: { profile: Record<string, string>; results: Result[] } };

    const channel = await openRuntimeChannel({ url: runtime.url, token, agent: "ping" });
    const report = await runSuite(SUITES.fipa!, { channel, backchannel: messageBackchannel(channel), features });
    await channel.close();
    const local = toProfile(report);

    expect(edge.profile.profile).toEqual(local.profile);
    const statuses = (results: Result[]) => results.map((r) => `${r.test}:${r.status}`);
    expect(statuses(edge.profile.results)).toEqual(statuses(local.results as Result[]));
  });

  it("a run whose backchannel says yes to everything stops with 422 RUN_FAILED, not a 500", async () => {
    // echo answers every request with inform, so it "agrees" to a made-up agact action.
    const res = await fetch(`${runtime.url}/v1/runs`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ agent: "echo" }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: { code: "RUN_FAILED", message: expect.stringMatching(/said yes to `agtest-probe-/) },
    });
  });

  it("the cron trigger re-runs every running hosted agent", async () => {
    const before = (await (await fetch(`${runtime.url}/v1/runs?agent=ping`, { headers: auth })).json()) as {
      runs: unknown[];
    };
    // Miniflare's trigger route (`unsafeTriggerHandlers`), on a connection of its own: workerd
    // closes that one after answering, and a pooled keep-alive socket would be reset on reuse.
    const url = `${runtime.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("17 3 * * *")}`;
    const fired = await new Promise<number>((resolve, reject) => {
      get(url, { agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on("error", reject);
    });
    expect(fired).toBe(200);
    let after: { runs: { agent: string }[] } = { runs: [] };
    for (let i = 0; i < 300 && after.runs.length <= before.runs.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = (await (await fetch(`${runtime.url}/v1/runs?agent=ping`, { headers: auth })).json()) as typeof after;
    }
    expect(after.runs.length).toBe(before.runs.length + 1);
    const profile = await (await fetch(`${runtime.url}/v1/profiles/hosted/ping/runtime`, { headers: auth })).json();
    expect(profile).toMatchObject({ test_suite: expect.stringMatching(/^urn:agtest:suite:fipa:/) });
  });
});
