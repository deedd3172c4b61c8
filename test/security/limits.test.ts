import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, auth, deploy, request, send, uniqueName } from "../integration/api.js";

const MiB = 1024 * 1024;

/** A body that never ends: 64 KiB chunks for as long as someone reads; counts what was read. */
function endless(): { body: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  let pulled = 0;
  let cancelled = false;
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, pulled: () => pulled, cancelled: () => cancelled };
}

/** Deploys with a manifest. */
async function deployWith(name: string, wasm: ArrayBuffer, manifest: unknown): Promise<Response> {
  const form = new FormData();
  form.set("module", new Blob([wasm]), `${name}.wasm`);
  form.set("manifest", JSON.stringify(manifest));
  return api(`/v1/agents?name=${name}`, { method: "POST", body: form });
}

type Stats = { stats: { messages_in: number } };
const messagesIn = async (name: string) =>
  ((await (await api(`/v1/agents/${name}`)).json()) as Stats).stats.messages_in;

async function transcript(id: string): Promise<{ origin: string; message: Record<string, unknown> }[]> {
  const res = await api(`/v1/conversations/${encodeURIComponent(id)}`);
  if (res.status === 404) return [];
  return ((await res.json()) as { messages: { origin: string; message: Record<string, unknown> }[] }).messages;
}

describe("request bodies over the limit are refused before being buffered whole", () => {
  it.each([
    ["POST /v1/messages", "/v1/messages", 1 * MiB, true],
    ["the public inbox", "/v1/agents/nobody/inbox", 1 * MiB, false],
    ["the relay inbox", "/v1/agtalk/sessions/0123456789abcdef0123456789abcdef/inbox", 1 * MiB, false],
    ["deploy", "/v1/agents?name=endless", 8 * MiB, true],
  ])("%s: a body that never ends gets 413, having read little past the limit", async (_, path, limit, authed) => {
    const stream = endless();
    const headers: Record<string, string> = {
      "content-type": path.startsWith("/v1/agents?") ? "application/wasm" : "application/json",
      ...(authed ? auth() : {}),
    };
    const res = await SELF.fetch(`http://agtest.test${path}`, { method: "POST", headers, body: stream.body });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    expect(stream.pulled()).toBeGreaterThan(limit);
    expect(stream.pulled()).toBeLessThan(limit + 512 * 1024);
  });

  it("a declared Content-Length over the limit is refused without reading the body", async () => {
    const stream = endless();
    const res = await SELF.fetch("http://agtest.test/v1/messages", {
      method: "POST",
      headers: { ...auth(), "content-length": String(2 * MiB) },
      body: stream.body,
    });
    expect(res.status).toBe(413);
    expect(stream.pulled()).toBeLessThan(1 * MiB);
  });
});

describe("message size: an agent cannot emit nor receive more than its message_bytes", () => {
  it("an agent emitting a message over its limit gets send < 0 and nothing is routed", async () => {
    const flooder = uniqueName("flooder");
    const target = uniqueName("echo");
    expect((await deployWith(flooder, env.FIXTURE_FLOODER, { limits: { message_bytes: 4096 } })).status).toBe(201);
    expect((await deploy(target, env.FIXTURE_ECHO)).status).toBe(201);
    // Control: under the limit, the same request is sent.
    const small = request(flooder, { to: target, count: 1, bytes: 3000 });
    expect(await (await send(small)).json()).toMatchObject({ content: { accepted: 1, rejected: 0, last_rc: 0 } });
    const big = request(flooder, { to: target, count: 1, bytes: 5000 });
    const res = await send(big);
    expect(await res.json()).toMatchObject({
      performative: "inform",
      content: { accepted: 0, rejected: 1, last_rc: -2 },
    });
    expect(await transcript(`${big.conversation_id}/flood`)).toEqual([]);
    await expect.poll(() => transcript(`${small.conversation_id}/flood`)).toHaveLength(2); // the small one and echo's answer
    expect(await messagesIn(target)).toBe(1);
  });

  it("an inbound message over the receiver's limit is refused with 413 and never delivered", async () => {
    const name = uniqueName("echo");
    expect((await deployWith(name, env.FIXTURE_ECHO, { limits: { message_bytes: 4096 } })).status).toBe(201);
    const big = await send(request(name, "x".repeat(5000)), null);
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({
      error: { code: "PAYLOAD_TOO_LARGE", message: expect.stringMatching(/exceeds `.*`'s limit of 4096 bytes/) },
    });
    const inbox = await SELF.fetch(`http://agtest.test/v1/agents/${name}/inbox`, {
      method: "POST",
      body: JSON.stringify(request(name, "x".repeat(5000))),
    });
    expect(inbox.status).toBe(413);
    const small = await send(request(name, "x".repeat(3000)));
    expect(small.status).toBe(200);
    expect(await messagesIn(name)).toBe(1);
  });

  it("an agent sending more than the receiver takes gets a failure; the receiver never sees it", async () => {
    const flooder = uniqueName("flooder");
    const target = uniqueName("echo");
    expect((await deploy(flooder, env.FIXTURE_FLOODER)).status).toBe(201);
    expect((await deployWith(target, env.FIXTURE_ECHO, { limits: { message_bytes: 4096 } })).status).toBe(201);
    const big = request(flooder, { to: target, count: 1, bytes: 5000 });
    expect(await (await send(big)).json()).toMatchObject({ content: { accepted: 1, last_rc: 0 } });
    // The flooder's reply can come before its send's bounce (its host routes what a turn emitted
    // after the turn): the bounce is waited for.
    await expect
      .poll(async () =>
        (await transcript(`${big.conversation_id}/flood`)).map((m) => [
          m.origin,
          m.message.performative,
          m.message.receiver,
        ]),
      )
      .toEqual([
        ["agent", "inform", target],
        ["runtime", "failure", flooder],
      ]);
    const log = await transcript(`${big.conversation_id}/flood`);
    expect(log[1]?.message.content).toMatch(/exceeds `.*`'s limit of 4096 bytes/);
    expect(await messagesIn(target)).toBe(0);
  });

  it("a manifest cannot raise a limit past the runtime's maximum", async () => {
    for (const limits of [
      { message_bytes: 2 * MiB },
      { memory_bytes: 1024 * MiB },
      { rate_per_sec: 1_000_000 },
      { fuel: 1e12 },
    ]) {
      const res = await deployWith(uniqueName("greedy"), env.FIXTURE_ECHO, { limits });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { code: "INVALID_MANIFEST", message: expect.stringMatching(/exceeds the runtime's maximum/) },
      });
    }
  });
});
