import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_HOPS } from "../../worker/routing/index.js";
import { api, deploy, request, send, uniqueName } from "./api.js";

type Stats = { messages_in: number };

const stats = async (name: string) => ((await (await api(`/v1/agents/${name}`)).json()) as { stats: Stats }).stats;
const quiet = async (name: string, wait = 10_000) =>
  ((await (await api(`/v1/agents/${name}/quiet?wait=${wait}`)).json()) as { quiet: boolean }).quiet;
const transcript = async (id: string) =>
  (await (await api(`/v1/conversations/${id}`)).json()) as {
    messages: { origin: string; message: { sender: string; content: unknown; message_id: string } }[];
  };

describe("the host's outbox: a turn ends when its sends are written, routing follows", () => {
  it("rows a crash left in the outbox are routed by the alarm, in order, each message_id once", async () => {
    const [a, b] = [uniqueName("out-a"), uniqueName("out-b")];
    expect((await deploy(a, env.FIXTURE_ECHO)).status).toBe(201);
    expect((await deploy(b, env.FIXTURE_ECHO)).status).toBe(201);
    const conversation_id = `c-${crypto.randomUUID().slice(0, 8)}`;
    const m = (i: number) => ({
      performative: "inform",
      sender: a,
      receiver: b,
      content: `m${i}`,
      conversation_id,
      message_id: `${conversation_id}/m${i}`,
    });
    const hostA = env.AGENT_HOST.get(env.AGENT_HOST.idFromName(a));
    // What a host that crashed after its turns but before routing them leaves behind: three rows
    // (the second repeats a message of the first, as a turn redelivered after a crash would), and
    // the safety-net alarm. One hop short of the limit, so that b's answers end there.
    await runInDurableObject(hostA, async (_instance, state) => {
      for (const messages of [[m(1), m(2)], [m(1)], [m(3)]]) {
        state.storage.sql.exec(
          "INSERT INTO outbox (hops, work) VALUES (?, ?)",
          MAX_HOPS - 1,
          JSON.stringify({ kind: "sends", messages, cause: { ...m(0), sender: "harness", receiver: a }, charged: 0 }),
        );
      }
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await quiet(a, 0)).toBe(false); // rows waiting to be routed: not quiet
    await runDurableObjectAlarm(hostA);
    expect(await quiet(a)).toBe(true);
    expect(await quiet(b)).toBe(true);
    const sent = (await transcript(conversation_id)).messages.filter(
      (x) => x.origin === "agent" && x.message.sender === a,
    );
    expect(sent.map((x) => x.message.content)).toEqual(["m1", "m2", "m3"]);
    expect((await stats(b)).messages_in).toBe(3);
    const left = await runInDurableObject(hostA, (_instance, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one(),
    );
    expect(left.n).toBe(0);
  });

  it("a reply to an external sender stays in the log; once that name is deployed, replies reach the hosted agent", async () => {
    const [ping, late] = [uniqueName("ping"), uniqueName("late")];
    expect((await deploy(ping, env.FIXTURE_PING)).status).toBe(201);
    const conversation_id = `c-${crypto.randomUUID().slice(0, 8)}`;
    // No protocol: two requests in one conversation are not a protocol violation.
    const ask = () => request(ping, "ping", { sender: late, conversation_id, protocol: undefined });
    const first = await send(ask());
    expect(first.status).toBe(200);
    expect(((await first.json()) as { content: string }).content).toBe("pong");
    // `late` is an external party known not to be hosted; now it is deployed (a ping: it does not answer a pong).
    expect((await deploy(late, env.FIXTURE_PING)).status).toBe(201);
    const second = await send(ask());
    expect(second.status).toBe(200);
    await expect.poll(async () => (await stats(late)).messages_in).toBe(1);
    expect(await quiet(late)).toBe(true);
    expect((await stats(late)).messages_in).toBe(1);
  });
});
