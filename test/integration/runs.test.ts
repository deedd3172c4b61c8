import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, deploy, uniqueName } from "./api.js";

type RunResponse = {
  id: string;
  agent: string;
  suite: string;
  profile: { test_suite: string; profile: Record<string, string>; results: { test: string; status: string }[] };
};

describe("edge-side runs", () => {
  it("POST /v1/runs runs the fipa suite against a hosted agent inside the Worker and stores the run and profile", async () => {
    const name = uniqueName("ping");
    await deploy(name, env.FIXTURE_PING);
    const res = await api("/v1/runs", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ agent: name, features: ["core.passive"] }),
    });
    expect(res.status).toBe(201);
    const run = (await res.json()) as RunResponse;
    expect(run).toMatchObject({
      agent: name,
      suite: "fipa",
      profile: { test_suite: expect.stringMatching(/^urn:agtest:suite:fipa:/) },
    });
    expect(Object.keys(run.profile.profile)).toEqual(["core.passive"]);
    expect(run.profile.results.length).toBeGreaterThan(5);

    const stored = (await (await api(`/v1/runs/${run.id}`)).json()) as {
      agent: string;
      summary: { junctions: { junction: string; score: string }[] };
    };
    expect(stored.agent).toBe(name);
    expect(stored.summary.junctions).toEqual([
      expect.objectContaining({ junction: "core.passive", score: run.profile.profile["core.passive"] }),
    ]);
    const listed = (await (await api(`/v1/runs?agent=${name}`)).json()) as { runs: { id: string }[] };
    expect(listed.runs.map((r) => r.id)).toEqual([run.id]);
    // The profile is published under hosted/<agent>, ref "runtime".
    expect(await (await api(`/v1/profiles/hosted/${name}/runtime`)).json()).toMatchObject({
      profile: run.profile.profile,
    });
  });

  it("refuses unknown agents, suites and junctions with clear errors", async () => {
    const name = uniqueName("ping");
    await deploy(name, env.FIXTURE_PING);
    const post = (body: unknown) =>
      api("/v1/runs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post({ agent: uniqueName("nobody") })).status).toBe(404);
    expect(await (await post({ agent: name, suite: "nope" })).json()).toMatchObject({
      error: { code: "INVALID_REQUEST", message: expect.stringMatching(/unknown suite/) },
    });
    expect(await (await post({ agent: name, features: ["core.pasive"] })).json()).toMatchObject({
      error: { message: expect.stringMatching(/no junction `core.pasive`/) },
    });
    expect(await (await post({ agents: name })).json()).toMatchObject({ error: { code: "INVALID_REQUEST" } });
  });
});
