import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, deploy, uniqueName } from "../integration/api.js";
import { answerAt, outsidePath, reached } from "./helpers/outside.js";
import { conversationExists, deployWith, postInbox, record, settled, transcript } from "./helpers/runtime.js";

const OUTSIDE = "http://outside.test";
const ping = (receiver: string, sender: string, extra: Record<string, unknown> = {}) => ({
  performative: "request",
  sender,
  receiver,
  content: "ping",
  protocol: "fipa-request",
  conversation_id: `c-${crypto.randomUUID().slice(0, 8)}`,
  reply_with: "r-1",
  ...extra,
});

describe("the runtime POSTs only where the replying agent's egress allowlist says it may (no open relay, no SSRF)", () => {
  it("an anonymous message naming a URL as sender gets its reply in the ?wait response; nothing is POSTed to the URL", async () => {
    const name = uniqueName("ping");
    expect((await deploy(name, env.FIXTURE_PING)).status).toBe(201);
    const path = outsidePath("victim");
    const res = await postInbox(name, ping(name, `${OUTSIDE}${path}`), "?wait=5000");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ performative: "inform", content: "pong", receiver: `${OUTSIDE}${path}` });
    await settled(name, 1);
    expect(await reached(path)).toEqual([]);
  });

  it("reply_to and sender naming loopback, private and link-local URLs reach nothing, even on the agent's allowlist", async () => {
    const name = uniqueName("ping");
    await deployWith(name, env.FIXTURE_PING, { egress: ["127.0.0.1", "10.0.0.1", "169.254.169.254", "localhost"] });
    const targets = [
      "http://127.0.0.1:9/loop",
      "http://10.0.0.1/private",
      "http://169.254.169.254/latest/meta-data",
      "http://localhost:8080/x",
      "http://[::1]:9/v6",
    ];
    for (const target of targets) expect((await postInbox(name, ping(name, target))).status).toBe(202);
    const { stats } = await settled(name, targets.length);
    expect(stats.messages_out).toBe(targets.length); // ping answered each one: the answers stayed in the logs
    for (const path of ["/loop", "/private", "/latest", "/x", "/v6"]) expect(await reached(path)).toEqual([]);
  });

  it("one reply URL per message: reply_to with many URLs is refused with 400 and nothing is stored", async () => {
    const name = uniqueName("ping");
    expect((await deploy(name, env.FIXTURE_PING)).status).toBe(201);
    const urls = Array.from({ length: 1000 }, (_, i) => `${OUTSIDE}/many-${i}`);
    const message = ping(name, `${OUTSIDE}/many`, { reply_to: urls });
    const res = await postInbox(name, message);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: "INVALID_MESSAGE", message: expect.stringMatching(/^reply_to: 1000 URLs/) },
    });
    expect(await conversationExists(message.conversation_id)).toBe(false);
    expect((await record(name)).stats.messages_in).toBe(0);
  });

  it("the runtime's own not-understood for a protocol violation never goes to a URL, even one on the agent's allowlist", async () => {
    const name = uniqueName("ping");
    await deployWith(name, env.FIXTURE_PING, { egress: ["outside.test"] });
    const path = outsidePath("reflect");
    // fipa-request opens with a request: an `agree` first breaks the protocol, and the runtime answers.
    const message = ping(name, `${OUTSIDE}${path}`, { performative: "agree" });
    expect((await postInbox(name, message)).status).toBe(202);
    await expect
      .poll(async () => (await transcript(message.conversation_id)).messages.map((m) => m.message.performative))
      .toEqual(["agree", "not-understood"]);
    expect(await reached(path)).toEqual([]);
    expect((await record(name)).stats.messages_in).toBe(0);
  });

  it("control: a URL on the replying agent's allowlist gets the reply POSTed, with the hop count", async () => {
    const name = uniqueName("ping");
    await deployWith(name, env.FIXTURE_PING, { egress: ["outside.test"] });
    const path = outsidePath("allowed");
    expect((await postInbox(name, ping(name, `${OUTSIDE}${path}`))).status).toBe(202);
    await expect.poll(async () => (await reached(path)).length).toBe(1);
    const [posted] = await reached(path);
    expect(JSON.parse(posted?.body ?? "{}")).toMatchObject({ performative: "inform", content: "pong", sender: name });
    expect(posted?.hops).toBe("1");
  });
});

describe("what an external agent answers in its HTTP response is untrusted input", () => {
  /** An amplifier that POSTs one inform to the outside URL; returns its name and the conversation. */
  async function askOutside(path: string): Promise<{ name: string; conversation: string }> {
    const name = uniqueName("amp");
    await deployWith(name, env.FIXTURE_AMPLIFIER, { egress: ["outside.test"] });
    const conversation = `c-${crypto.randomUUID().slice(0, 8)}`;
    const res = await api("/v1/messages", {
      method: "POST",
      body: JSON.stringify({
        performative: "inform",
        sender: "harness",
        receiver: name,
        conversation_id: conversation,
        content: { to: [`${OUTSIDE}${path}`] },
      }),
    });
    expect(res.status).toBe(202);
    return { name, conversation };
  }

  it("answers forged as the runtime, in another conversation or addressed to another agent are dropped and logged as refused", async () => {
    const victim = uniqueName("echo");
    expect((await deploy(victim, env.FIXTURE_ECHO)).status).toBe(201);
    const path = outsidePath("answers");
    const name = `amp-${path.slice(-8)}`;
    const conversation = `c-${crypto.randomUUID().slice(0, 8)}`;
    const answer = (extra: Record<string, unknown>) => ({
      performative: "inform",
      sender: "runtime",
      receiver: name,
      conversation_id: conversation,
      content: {},
      ...extra,
    });
    await answerAt(path, {
      body: JSON.stringify([
        answer({ x_agtest_origin: "runtime", message_id: "forged" }),
        answer({ conversation_id: "c-elsewhere", message_id: "elsewhere" }),
        answer({ receiver: victim, message_id: "to-victim" }),
        answer({ receiver: [name, victim], message_id: "to-both" }),
        answer({ message_id: "fine", sender: victim }),
      ]),
    });
    await deployWith(name, env.FIXTURE_AMPLIFIER, { egress: ["outside.test"] });
    const res = await api("/v1/messages", {
      method: "POST",
      body: JSON.stringify({
        performative: "inform",
        sender: "harness",
        receiver: name,
        conversation_id: conversation,
        content: { to: [`${OUTSIDE}${path}`] },
      }),
    });
    expect(res.status).toBe(202);
    await expect.poll(async () => (await transcript(conversation)).refused.length).toBe(4);
    const { messages, refused } = await transcript(conversation);
    expect(refused.map((r) => r.reason)).toEqual([
      expect.stringMatching(/carries x_agtest_origin/),
      expect.stringMatching(/in another conversation/),
      expect.stringMatching(/addressed to .* not to/),
      expect.stringMatching(/addressed to .* not to/),
    ]);
    // The one acceptable answer is in, marked as from the URL it came from, not the agent it named.
    const fine = messages.find((m) => m.message.message_id === "fine");
    expect(fine).toMatchObject({ origin: "external", message: { sender: `${OUTSIDE}${path}`, receiver: name } });
    expect(fine?.message.x_agtest_origin).toBeUndefined();
    expect(messages.some((m) => m.message.message_id === "forged" || m.message.message_id === "to-victim")).toBe(false);
    expect(await conversationExists("c-elsewhere")).toBe(false);
    await settled(name, 2); // the request and the fine answer
    expect((await record(victim)).stats.messages_in).toBe(0);
  });

  it("an answer body over the size limit is not read: refused and logged", async () => {
    const path = outsidePath("huge");
    await answerAt(path, { body: `[${"0,".repeat(200_000)}0]` });
    const { name, conversation } = await askOutside(path);
    await expect
      .poll(async () => (await transcript(conversation)).refused.map((r) => r.reason))
      .toEqual([expect.stringMatching(/exceeds 262144 bytes: not read/)]);
    await settled(name, 1);
  });
});
