import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, deploy, request, send, uniqueName } from "../integration/api.js";

/** Deploys with a manifest. */
async function deployWith(name: string, wasm: ArrayBuffer, manifest: unknown): Promise<Response> {
  const form = new FormData();
  form.set("module", new Blob([wasm]), `${name}.wasm`);
  form.set("manifest", JSON.stringify(manifest));
  return api(`/v1/agents?name=${name}`, { method: "POST", body: form });
}

type Stats = { stats: { messages_in: number; mailbox_depth: number } };
const stats = async (name: string) => ((await (await api(`/v1/agents/${name}`)).json()) as Stats).stats;

async function transcript(id: string): Promise<{ origin: string; message: Record<string, unknown> }[]> {
  const res = await api(`/v1/conversations/${encodeURIComponent(id)}`);
  if (res.status === 404) return [];
  return ((await res.json()) as { messages: { origin: string; message: Record<string, unknown> }[] }).messages;
}

/** `rate` messages/s, so a bucket of 2 s: `2 * rate` messages at once. Low, so refills during a test stay small. */
const RATE = 2;
const BURST = 2 * RATE;

describe("rate limit: an agent's mailbox takes rate_per_sec (burst of 2 s), then senders are told to back off", () => {
  it("POST /v1/messages: the burst is taken, then 429 RATE_LIMITED with Retry-After; nothing refused is delivered", async () => {
    const name = uniqueName("echo");
    expect((await deployWith(name, env.FIXTURE_ECHO, { limits: { rate_per_sec: RATE } })).status).toBe(201);
    const started = Date.now();
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < BURST * 2; i++) {
      const res = await send(request(name, i), null);
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
      else await res.body?.cancel();
    }
    const seconds = (Date.now() - started) / 1000;
    const accepted = statuses.filter((s) => s === 202).length;
    expect(statuses.every((s) => s === 202 || s === 429)).toBe(true);
    expect(accepted).toBeGreaterThanOrEqual(BURST);
    expect(accepted).toBeLessThanOrEqual(BURST + Math.ceil(seconds * RATE) + 1);
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await limited?.json()).toMatchObject({
      error: { code: "RATE_LIMITED", message: expect.stringMatching(/at most 2 messages\/s/) },
    });
    await expect.poll(async () => (await stats(name)).messages_in).toBe(accepted);
  });

  it("the public inbox answers 429 too; a refused message retried with its message_id after Retry-After is delivered once", async () => {
    const name = uniqueName("echo");
    expect((await deployWith(name, env.FIXTURE_ECHO, { limits: { rate_per_sec: RATE } })).status).toBe(201);
    const post = (message: unknown) =>
      SELF.fetch(`http://agtest.test/v1/agents/${name}/inbox`, { method: "POST", body: JSON.stringify(message) });
    let refused: { message: ReturnType<typeof request>; retryAfter: number } | undefined;
    for (let i = 0; i < BURST * 2 && !refused; i++) {
      const message = { ...request(name, i), message_id: `m-${crypto.randomUUID()}` };
      const res = await post(message);
      if (res.status === 429) refused = { message, retryAfter: Number(res.headers.get("retry-after")) };
      await res.body?.cancel();
    }
    expect(refused).toBeDefined();
    const { message, retryAfter } = refused!;
    await new Promise((r) => setTimeout(r, retryAfter * 1000));
    expect((await post(message)).status).toBe(202);
    expect((await post(message)).status).toBe(202); // a duplicate: acknowledged, dropped
    await expect.poll(async () => (await stats(name)).mailbox_depth).toBe(0);
    const log = await transcript(message.conversation_id);
    expect(log.filter((m) => m.message.sender === name)).toHaveLength(1); // echo answered it once
  });

  it("an agent flooding another gets failure bounces for what its target would not take", async () => {
    const flooder = uniqueName("flooder");
    const target = uniqueName("echo");
    expect((await deploy(flooder, env.FIXTURE_FLOODER)).status).toBe(201);
    expect((await deployWith(target, env.FIXTURE_ECHO, { limits: { rate_per_sec: RATE } })).status).toBe(201);
    const flood = request(flooder, { to: target, count: 40, bytes: 1 });
    const started = Date.now();
    expect(await (await send(flood)).json()).toMatchObject({ content: { accepted: 40, rejected: 0 } });
    // The flood is routed before the flooder's answer, so this bounds the time the bucket had to refill.
    const refill = Math.ceil(((Date.now() - started) / 1000) * RATE);
    const id = `${flood.conversation_id}/flood`;
    const bounced = async () =>
      (await transcript(id)).filter(
        (m) => m.origin === "runtime" && m.message.performative === "failure" && m.message.receiver === flooder,
      );
    const taken = async () =>
      (await transcript(id)).filter((m) => m.origin === "agent" && m.message.sender === target).length;
    // Each of the 40 is either taken (and echoed back) or bounced; the bucket held about BURST.
    await expect.poll(async () => (await bounced()).length + (await taken())).toBe(40);
    const failures = await bounced();
    expect(failures.length).toBeGreaterThanOrEqual(40 - BURST - refill - 1);
    expect(failures[0]?.message.content).toMatch(/^rate limited: `.*` takes at most 2 messages\/s/);
    expect((await stats(target)).messages_in).toBe(40 - failures.length);
  });

  it("an agent deployed without a manifest gets the default limit, 100 messages/s", async () => {
    const name = uniqueName("ping");
    expect(await (await deploy(name, env.FIXTURE_PING)).json()).toMatchObject({ limits: { rate_per_sec: 100 } });
  });
});
