import { describe, expect, it } from "vitest";
import { BULK_FUEL_PER_BYTE, HOST_FUEL } from "../../worker/wasm/costs.js";
import {
  type BulkKind,
  type HostCall,
  bulkAgent,
  handleInstructions,
  hostCallAgent,
  u32le,
} from "../helpers/bulk-agents.js";
import { api, deploy, request, send, uniqueName } from "../integration/api.js";
import { env } from "cloudflare:test";

/**
 * SECURITY.md T5 (CPU): the fuel budget bounds the work an agent makes, whichever instructions or
 * host calls it is made of. Before, `memory.fill`/`memory.copy` cost 1 fuel whatever their length
 * and host calls nothing: a loop of 16 MiB fills lasted hours on the default budget.
 */
const MiB16 = 16 * 1024 * 1024;
const SIZES: Record<BulkKind, number> = { fill: MiB16, copy: MiB16 - 1, random: MiB16 };

type AgentRecord = { state: string; termination_reason: string | null; stats: { fuel_used: number } };
const record = async (name: string): Promise<AgentRecord> =>
  (await (await api(`/v1/agents/${name}`)).json()) as AgentRecord;

async function pingAnswers(name: string): Promise<void> {
  const res = await send(request(name, "ping"));
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ performative: "inform", content: "pong" });
}

describe("fuel that means CPU: bulk memory and host calls pay per byte", () => {
  it.each(["fill", "copy", "random"] as const)("one 16 MiB %s is charged its bytes (stats.fuel_used)", async (kind) => {
    const name = uniqueName(`once-${kind}`);
    expect((await deploy(name, bulkAgent(kind, SIZES[kind], false))).status).toBe(201);
    expect((await send(request(name, "go"), null)).status).toBe(202);
    await expect.poll(async () => (await record(name)).stats.fuel_used, { timeout: 15_000 }).toBeGreaterThan(0);
    const perByte = kind === "random" ? HOST_FUEL.randomPerByte : BULK_FUEL_PER_BYTE;
    const host = kind === "random" ? HOST_FUEL.call : 0;
    expect((await record(name)).stats.fuel_used).toBe(SIZES[kind] * perByte + host + handleInstructions(kind) + 2); // + alloc: i32.const, end
  });

  it.each(["fill", "copy", "random"] as const)(
    "a loop of 16 MiB %s ends CpuLimitExceeded on the default budget; another agent answers meanwhile",
    async (kind) => {
      const ping = uniqueName("ping");
      const burner = uniqueName(`loop-${kind}`);
      expect((await deploy(ping, env.FIXTURE_PING)).status).toBe(201);
      expect((await deploy(burner, bulkAgent(kind, SIZES[kind], true))).status).toBe(201);
      const burning = send(request(burner, "go"), 15_000);
      await Promise.all([pingAnswers(ping), pingAnswers(ping)]);
      const reply = await burning;
      expect(reply.status).toBe(200);
      expect(await reply.json()).toMatchObject({
        performative: "failure",
        sender: burner,
        content: expect.stringMatching(/^CpuLimitExceeded/),
      });
      expect(await record(burner)).toMatchObject({ state: "failed", termination_reason: "CpuLimitExceeded" });
      await pingAnswers(ping);
    },
  );

  // Durable and WASI imports (issue 12): each pays its crossing and the bytes it copies.
  const MiB = 1024 * 1024;
  const iovec = [...u32le(1024), ...u32le(8 * MiB)]; // one iovec at 0: 8 MiB from address 1024
  const CALLS: [string, HostCall, number[], number][] = [
    // key of 8 bytes at 0, value of 1 MiB at 1024 (refused by the quota after it is copied)
    [
      "state_put",
      { module: "agent", name: "state_put", args: [0, 8, 1024, MiB] },
      [],
      (8 + MiB) * HOST_FUEL.statePerByte,
    ],
    [
      "fd_write",
      { module: "wasi_snapshot_preview1", name: "fd_write", args: [1, 0, 1, 16] },
      iovec,
      8 * MiB * HOST_FUEL.writePerByte,
    ],
  ];

  it.each(CALLS)("one %s is charged its crossing and its bytes", async (label, call, data, bytes) => {
    const name = uniqueName(`once-${label.replace("_", "-")}`);
    expect((await deploy(name, hostCallAgent(call, false, data))).status).toBe(201);
    expect((await send(request(name, "go"), null)).status).toBe(202);
    await expect.poll(async () => (await record(name)).stats.fuel_used, { timeout: 15_000 }).toBeGreaterThan(0);
    const fuel = (await record(name)).stats.fuel_used;
    // The host's charge, plus the handful of instructions around the call.
    expect(fuel).toBeGreaterThanOrEqual(HOST_FUEL.call + bytes);
    expect(fuel).toBeLessThan(HOST_FUEL.call + bytes + 50);
  });

  it.each(CALLS)(
    "a loop of %s ends CpuLimitExceeded on the default budget; another agent answers meanwhile",
    async (label, call, data) => {
      const ping = uniqueName("ping");
      const burner = uniqueName(`loop-${label.replace("_", "-")}`);
      expect((await deploy(ping, env.FIXTURE_PING)).status).toBe(201);
      expect((await deploy(burner, hostCallAgent(call, true, data))).status).toBe(201);
      const burning = send(request(burner, "go"), 15_000);
      await Promise.all([pingAnswers(ping), pingAnswers(ping)]);
      const reply = await burning;
      expect(reply.status).toBe(200);
      expect(await reply.json()).toMatchObject({
        performative: "failure",
        content: expect.stringMatching(/^CpuLimitExceeded/),
      });
      expect(await record(burner)).toMatchObject({ state: "failed", termination_reason: "CpuLimitExceeded" });
    },
  );
});
