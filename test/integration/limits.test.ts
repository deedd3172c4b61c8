import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, deploy, request, send, uniqueName } from "./api.js";

type Record = {
  state: string;
  termination_reason: string | null;
  termination_detail: string | null;
  stats: { traps: number };
};

async function record(name: string): Promise<Record> {
  return (await (await api(`/v1/agents/${name}`)).json()) as Record;
}

async function pingAnswers(name: string): Promise<void> {
  const res = await send(request(name, "ping"));
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ performative: "inform", content: "pong" });
}

describe("limits terminate the offender while other agents keep answering", () => {
  it("an infinite loop ends failed with CpuLimitExceeded (its fuel runs out); ping answers during and after", async () => {
    const ping = uniqueName("ping");
    const spin = uniqueName("spin");
    expect((await deploy(ping, env.FIXTURE_PING)).status).toBe(201);
    expect((await deploy(spin, env.FIXTURE_SPIN)).status).toBe(201);

    const spinning = send(request(spin, "go"));
    // Ping is asked while the spin agent burns its budget.
    await Promise.all([pingAnswers(ping), pingAnswers(ping)]);
    const reply = await spinning;

    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({
      performative: "failure",
      sender: spin,
      content: expect.stringMatching(/^CpuLimitExceeded/),
    });
    expect(await record(spin)).toMatchObject({ state: "failed", termination_reason: "CpuLimitExceeded" });
    await pingAnswers(ping);

    // A failed agent answers at once with a failure naming the reason, not silence.
    const refused = await send(request(spin, "again"));
    expect(refused.status).toBe(200);
    expect(await refused.json()).toMatchObject({
      performative: "failure",
      sender: spin,
      content: expect.stringMatching(/is failed \(CpuLimitExceeded\)/),
      x_agtest_origin: "runtime",
    });
  });

  it("a memory hog ends failed with MemoryLimitExceeded; ping still answers", async () => {
    const ping = uniqueName("ping");
    const hog = uniqueName("hog");
    expect((await deploy(ping, env.FIXTURE_PING)).status).toBe(201);
    expect((await deploy(hog, env.FIXTURE_MEMORY_HOG)).status).toBe(201);
    const reply = await send(request(hog, "eat"));
    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({
      performative: "failure",
      content: expect.stringMatching(/^MemoryLimitExceeded/),
    });
    expect(await record(hog)).toMatchObject({ state: "failed", termination_reason: "MemoryLimitExceeded" });
    await pingAnswers(ping);
  });

  it("a failed agent can be started again", async () => {
    const spin = uniqueName("spin");
    expect((await deploy(spin, env.FIXTURE_SPIN)).status).toBe(201);
    await send(request(spin, "go"));
    expect((await record(spin)).state).toBe("failed");
    const started = await api(`/v1/agents/${spin}/start`, { method: "POST" });
    expect(started.status).toBe(200);
    expect(await started.json()).toMatchObject({ state: "running", termination_reason: null });
  });

  it("a lower fuel budget in the manifest is enforced (cpu-burn exceeds it, passes with the default)", async () => {
    const small = uniqueName("burn");
    const form = new FormData();
    form.set("module", new Blob([env.FIXTURE_CPU_BURN]), "cpu-burn.wasm");
    form.set("manifest", JSON.stringify({ limits: { fuel: 100_000 } }));
    expect((await api(`/v1/agents?name=${small}`, { method: "POST", body: form })).status).toBe(201);
    const starved = await send(request(small, "100000"));
    expect(await starved.json()).toMatchObject({
      performative: "failure",
      content: expect.stringMatching(/^CpuLimitExceeded/),
    });

    const roomy = uniqueName("burn");
    expect((await deploy(roomy, env.FIXTURE_CPU_BURN)).status).toBe(201);
    const fed = await send(request(roomy, "100000"));
    expect(await fed.json()).toMatchObject({ performative: "inform", content: "9592" });
  });
});
