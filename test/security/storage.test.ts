import { SELF, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, deploy, request, send, uniqueName } from "../integration/api.js";
import { RUNTIME_LIMITS } from "../../worker/limits.js";
import { logShardOf } from "../../worker/conversation/index.js";
import { conversationExists, deployWith, postInbox, record, settled, transcript } from "./helpers/runtime.js";

/** The log shard holding a conversation (worker/conversation/index.ts). */
const conversationStub = (id: string) => env.CONVERSATION.get(env.CONVERSATION.idFromName(logShardOf(id)));

describe("refused means not stored", () => {
  it("a message refused with 413 leaves no conversation behind", async () => {
    const name = uniqueName("echo");
    await deployWith(name, env.FIXTURE_ECHO, { limits: { message_bytes: 1024 } });
    const message = request(name, "x".repeat(4096));
    const res = await send(message, null);
    expect(res.status).toBe(413);
    expect(await conversationExists(message.conversation_id)).toBe(false);
  });

  it("a message refused with 429 is not in its conversation's log; what came before stays", async () => {
    const name = uniqueName("echo");
    await deployWith(name, env.FIXTURE_ECHO, { limits: { rate_per_sec: 1 } });
    const conversation_id = `c-${crypto.randomUUID().slice(0, 8)}`;
    const statuses: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 6 && !statuses.includes(429); i++) {
      const message = {
        ...request(name, i, { conversation_id, protocol: undefined }),
        message_id: `m-${i}-${crypto.randomUUID().slice(0, 8)}`,
      };
      ids.push(message.message_id);
      const res = await postInbox(name, message);
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses.at(-1)).toBe(429);
    const refusedId = ids.at(-1);
    await settled(name, statuses.length - 1);
    const logged = (await transcript(conversation_id)).messages.map((m) => m.message.message_id);
    expect(logged).toEqual(expect.arrayContaining(ids.slice(0, -1)));
    expect(logged).not.toContain(refusedId);
  });

  it("a full mailbox answers 429 and stores nothing; after it drains, messages are taken again", async () => {
    const name = uniqueName("echo");
    await deployWith(name, env.FIXTURE_ECHO, { limits: { mailbox_depth: 3 } });
    expect((await api(`/v1/agents/${name}/stop`, { method: "POST" })).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await send(request(name, i), null)).status).toBe(202);
    const over = request(name, "over");
    const res = await send(over, null);
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({
      error: { code: "RATE_LIMITED", message: expect.stringMatching(/mailbox full: .* holds 3 waiting messages/) },
    });
    expect(await conversationExists(over.conversation_id)).toBe(false);
    expect((await record(name)).stats.mailbox_depth).toBe(3);
    expect((await api(`/v1/agents/${name}/start`, { method: "POST" })).status).toBe(200);
    await settled(name, 3);
    expect((await send(request(name, "again"))).status).toBe(200);
  });
});

describe("conversations are bounded and expire", () => {
  it(`a conversation holding ${RUNTIME_LIMITS.conversation_messages} messages refuses more with 413, storing nothing`, async () => {
    const name = uniqueName("echo");
    expect((await deploy(name, env.FIXTURE_ECHO)).status).toBe(201);
    const first = request(name, "first", { protocol: undefined });
    expect((await send(first)).status).toBe(200);
    // Fill the log to its cap directly: 10,000 HTTP round trips would test the machine, not the cap.
    await runInDurableObject(conversationStub(first.conversation_id), (_instance, state) => {
      const sql = state.storage.sql;
      const id = first.conversation_id;
      const have = Number([...sql.exec("SELECT COUNT(*) AS n FROM messages WHERE conversation_id = ?", id)][0]?.n ?? 0);
      let seq = Number([...sql.exec("SELECT next_seq FROM conversations WHERE conversation_id = ?", id)][0]?.next_seq);
      for (let i = have; i < RUNTIME_LIMITS.conversation_messages; i++) {
        sql.exec(
          "INSERT INTO messages (conversation_id, seq, message_id, at, origin, violation, message) VALUES (?, ?, ?, ?, 'external', NULL, '{}')",
          id,
          seq++,
          `filler-${i}`,
          new Date().toISOString(),
        );
      }
      // The shard keeps each conversation's count beside it (schema version 2).
      sql.exec(
        "UPDATE conversations SET next_seq = ?, messages = (SELECT COUNT(*) FROM messages WHERE conversation_id = ?) WHERE conversation_id = ?",
        seq,
        id,
        id,
      );
    });
    const more = {
      ...request(name, "more", { conversation_id: first.conversation_id, protocol: undefined }),
      message_id: "m-more",
    };
    const res = await send(more, null);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      error: { code: "PAYLOAD_TOO_LARGE", message: expect.stringMatching(/holds 10000 messages, its maximum/) },
    });
    const log = await transcript(first.conversation_id);
    expect(log.messages).toHaveLength(RUNTIME_LIMITS.conversation_messages);
    expect(log.messages.some((m) => m.message.message_id === "m-more")).toBe(false);
    expect((await record(name)).stats.messages_in).toBe(1);
  });

  it("a conversation idle past the retention period is deleted whole by its alarm; an active one is kept", async () => {
    const name = uniqueName("echo");
    expect((await deploy(name, env.FIXTURE_ECHO)).status).toBe(201);
    const old = request(name, "old", { protocol: undefined });
    const fresh = request(name, "fresh", { protocol: undefined });
    expect((await send(old)).status).toBe(200);
    expect((await send(fresh)).status).toBe(200);
    await runInDurableObject(conversationStub(old.conversation_id), (_instance, state) => {
      state.storage.sql.exec(
        "UPDATE conversations SET last_at = ? WHERE conversation_id = ?",
        Date.now() - RUNTIME_LIMITS.conversation_idle_ms - 1000,
        old.conversation_id,
      );
    });
    expect(await runDurableObjectAlarm(conversationStub(old.conversation_id))).toBe(true);
    expect(await runDurableObjectAlarm(conversationStub(fresh.conversation_id))).toBe(true);
    expect(await conversationExists(old.conversation_id)).toBe(false);
    expect((await transcript(fresh.conversation_id)).messages).toHaveLength(2);
    // Still armed for later: the fresh one's shard keeps an alarm; the deleted one left no row.
    await runInDurableObject(conversationStub(fresh.conversation_id), async (_instance, state) =>
      expect(await state.storage.getAlarm()).not.toBeNull(),
    );
    await runInDurableObject(conversationStub(old.conversation_id), async (_instance, state) => {
      for (const table of ["conversations", "messages", "parties", "refused"]) {
        const rows = [
          ...state.storage.sql.exec(`SELECT 1 FROM ${table} WHERE conversation_id = ?`, old.conversation_id),
        ];
        expect(rows, table).toEqual([]);
      }
    });
  });
});

describe("deep JSON gets 400 on every route that reads JSON, never a 500", () => {
  const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
  const deepMessage = (receiver: string) =>
    `{"performative":"inform","sender":"x","receiver":"${receiver}","content":${deep(100_000)}}`;

  it("messages, the public inbox, the relay inbox, profiles, runs and the deploy manifest", async () => {
    const name = uniqueName("echo");
    expect((await deploy(name, env.FIXTURE_ECHO)).status).toBe(201);
    const session = (await (await api("/v1/agtalk/sessions", { method: "POST" })).json()) as { id: string };
    const form = new FormData();
    form.set("module", new Blob([env.FIXTURE_ECHO]), "echo.wasm");
    form.set("manifest", `{"limits":${deep(100_000)}}`);
    const responses = await Promise.all([
      api("/v1/messages", { method: "POST", body: deepMessage(name) }),
      SELF.fetch(`http://agtest.test/v1/agents/${name}/inbox`, { method: "POST", body: deepMessage(name) }),
      SELF.fetch(`http://agtest.test/v1/agtalk/sessions/${session.id}/inbox`, { method: "POST", body: deep(100_000) }),
      api("/v1/profiles/o/r/main", {
        method: "PUT",
        body: `{"test_suite":"x","profile":{},"results":${deep(100_000)}}`,
      }),
      api("/v1/runs", { method: "POST", body: `{"agent":${deep(30_000)}}` }),
      api(`/v1/agents?name=${uniqueName("deep")}`, { method: "POST", body: form }),
    ]);
    const bodies = await Promise.all(
      responses.map(async (r) => ({
        status: r.status,
        body: (await r.json()) as { error: { code: string; message: string } },
      })),
    );
    for (const { status, body } of bodies) {
      expect(status).toBe(400);
      expect(body.error.message).toMatch(/nested .* levels deep; at most 160/);
    }
    expect(bodies.map((b) => b.body.error.code)).toEqual([
      "INVALID_MESSAGE",
      "INVALID_MESSAGE",
      "INVALID_MESSAGE",
      "INVALID_REQUEST",
      "INVALID_REQUEST",
      "INVALID_MANIFEST",
    ]);
  });
});

describe("counters count what they say", () => {
  it("stats.rejected_sends counts every send the runtime refused", async () => {
    const flooder = uniqueName("flooder");
    const target = uniqueName("echo");
    await deployWith(flooder, env.FIXTURE_FLOODER, { limits: { message_bytes: 2048 } });
    expect((await deploy(target, env.FIXTURE_ECHO)).status).toBe(201);
    // 4 KB each, over the flooder's 2 KiB message limit: send returns -2 every time.
    const answer = await send(request(flooder, { to: target, count: 20, bytes: 4096 }));
    expect(await answer.json()).toMatchObject({ content: { accepted: 0, rejected: 20 } });
    await expect.poll(async () => (await record(flooder)).stats.rejected_sends).toBe(20);
    expect((await record(target)).stats.messages_in).toBe(0);
  });
});
