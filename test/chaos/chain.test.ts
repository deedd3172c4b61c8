import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RuntimeClient } from "../../bench/client.js";
import { type LocalRuntime, startRuntime } from "../../worker/local/runtime.js";

/**
 * A dependency chain, A asks B asks C (`chain-relay` agents), beside two bystanders, on a real
 * runtime (local workerd, loopback only). "C fails" is tested three ways, because the runtime
 * treats them differently on purpose:
 *
 * - **C crashes** (traps on every message until its circuit breaker opens, `CrashLoop`): every
 *   request through the chain gets `failure` quickly, nothing hangs; after `start`, it recovers.
 * - **C is deleted**: B's request bounces (`unknown receiver`), A's requester gets `failure`;
 *   after C is deployed again, it recovers.
 * - **C is stopped**: not a failure: messages wait in C's mailbox and are answered after `start`
 *   (the requester's `?wait=` times out meanwhile; the answer lands in the conversation log).
 *
 * Each time, more than half the agents stay healthy and the bystanders keep answering.
 */

const A = "chain-a";
const B = "chain-b";
const C = "chain-c";
const BYSTANDERS = ["ping-1", "echo-1"];
/** "quickly": a failure must come back well before a client would give up. */
const QUICK_MS = 3000;

let runtime: LocalRuntime;
let client: RuntimeClient;
let n = 0;

/** A request to A that travels A -> B -> C (`trap` makes C trap). */
function viaChain(trap = false) {
  n++;
  return {
    performative: "request",
    sender: "chaos",
    receiver: A,
    protocol: "fipa-request",
    conversation_id: `chain-${n}`,
    reply_with: `r-${n}`,
    content: { via: [B, C], trap },
  };
}

/** Asks through the chain; returns the reply and how long it took. */
async function ask(
  trap = false,
): Promise<{ ms: number; status: number; body: Record<string, unknown>; conversation: string }> {
  const message = viaChain(trap);
  const t0 = performance.now();
  const { status, body } = await client.send(message, 10_000);
  return { ms: performance.now() - t0, status, body, conversation: message.conversation_id };
}

async function bystandersAnswer(): Promise<void> {
  const ping = await client.send(
    { performative: "request", sender: "chaos", receiver: "ping-1", content: "ping" },
    5000,
  );
  expect(ping.body).toMatchObject({ performative: "inform", content: "pong" });
  const echo = await client.send(
    { performative: "inform", sender: "chaos", receiver: "echo-1", content: "still here" },
    5000,
  );
  expect(echo.body).toMatchObject({ performative: "inform", content: "still here" });
}

async function healthy(): Promise<string[]> {
  return (await client.agents()).filter((a) => a.state === "running").map((a) => a.name);
}

async function recovered(): Promise<void> {
  const replies = await Promise.all(Array.from({ length: 5 }, () => ask()));
  for (const reply of replies) expect(reply.body).toMatchObject({ performative: "inform", content: { by: C } });
  expect((await healthy()).sort()).toEqual([A, B, C, ...BYSTANDERS].sort());
}

describe("chaos: a dependency chain A -> B -> C where C fails", () => {
  beforeAll(async () => {
    runtime = await startRuntime({ port: 0, token: "chaos", persistTo: false, logLevel: "none" });
    client = new RuntimeClient(runtime.url, runtime.token);
    for (const name of [A, B, C]) await client.deploy(name, "chain-relay");
    await client.deploy("ping-1", "ping");
    await client.deploy("echo-1", "echo");
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it("works end to end before anything fails", async () => {
    const reply = await ask();
    expect(reply.body).toMatchObject({ performative: "inform", sender: A, content: { handled: 1, by: C } });
  });

  it("C crashes: its breaker opens (CrashLoop), A's requester gets failure quickly, the rest stays healthy, start recovers", async () => {
    // Every trap is answered with a failure that travels back up the chain; the fifth opens the breaker.
    for (let i = 0; i < 5; i++) {
      const reply = await ask(true);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        performative: "failure",
        sender: A,
        content: expect.stringMatching(i < 4 ? /agent trapped/ : /^CrashLoop/),
      });
    }
    expect(await client.agent(C)).toMatchObject({ state: "failed", termination_reason: "CrashLoop" });

    // The breaker is open: ordinary requests fail fast, concurrently, and none hangs.
    const [replies] = await Promise.all([Promise.all(Array.from({ length: 10 }, () => ask())), bystandersAnswer()]);
    for (const reply of replies) {
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        performative: "failure",
        sender: A,
        content: expect.stringMatching(/is failed \(CrashLoop\)/),
      });
    }
    expect(Math.max(...replies.map((r) => r.ms))).toBeLessThan(QUICK_MS);
    const up = await healthy();
    expect(up.sort()).toEqual([A, B, ...BYSTANDERS].sort());
    expect(up.length).toBeGreaterThan(5 / 2);

    expect(await client.lifecycle(C, "start")).toMatchObject({ state: "running", termination_reason: null });
    await recovered();
  });

  it("C is deleted: B's request bounces, A's requester gets failure quickly; redeploying C recovers", async () => {
    expect((await client.call(`/v1/agents/${C}`, { method: "DELETE" })).status).toBe(204);
    const [replies] = await Promise.all([Promise.all(Array.from({ length: 5 }, () => ask())), bystandersAnswer()]);
    for (const reply of replies) {
      expect(reply.body).toMatchObject({ performative: "failure", sender: A, content: `unknown receiver \`${C}\`` });
    }
    expect(Math.max(...replies.map((r) => r.ms))).toBeLessThan(QUICK_MS);
    expect((await healthy()).length).toBeGreaterThan(4 / 2);
    await client.deploy(C, "chain-relay");
    await recovered();
  });

  it("C is stopped: requests wait in its mailbox (no failure, no loss) and are answered after start", async () => {
    await client.lifecycle(C, "stop");
    const waiting = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const message = viaChain();
        const { status } = await client.send(message, 500);
        return { status, conversation: message.conversation_id };
      }),
    );
    expect(waiting.map((w) => w.status)).toEqual([202, 202, 202]);
    await bystandersAnswer();
    expect((await client.agent(C))?.stats.mailbox_depth).toBe(3);
    await client.lifecycle(C, "start");
    for (const { conversation } of waiting) {
      await expect
        .poll(
          async () => (await client.transcript(conversation)).find((m) => m.message.receiver === "chaos")?.message,
          { timeout: 10_000 },
        )
        .toMatchObject({ performative: "inform", sender: A, content: { by: C } });
    }
    await recovered();
  });
});
