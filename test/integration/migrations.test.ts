import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { logShardOf } from "../../worker/conversation/index.js";
import { type Sql, migrate, sqlOf } from "../../worker/sql.js";
import { deploy, request, send, uniqueName } from "./api.js";

const versionOf = (sql: Sql) =>
  sql.one<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'")?.value;

describe("schema migrations are gated on the stored schema_version", () => {
  it("runs only the steps past the stored version, and refuses storage from a newer version", async () => {
    // A conversation that never saw a message has no tables: a blank storage to migrate.
    const stub = env.CONVERSATION.get(env.CONVERSATION.idFromName(uniqueName("migrate")));
    await runInDurableObject(stub, (_instance, state) => {
      const sql = sqlOf(state.storage);
      const ran: string[] = [];
      const step = (name: string) => (s: Sql) => {
        ran.push(name);
        s.run(`CREATE TABLE ${name} (x INTEGER)`);
      };
      migrate(sql, [step("a"), step("b")]);
      expect(ran).toEqual(["a", "b"]);
      expect(versionOf(sql)).toBe("2");
      // Current: nothing runs (a step that is not idempotent would throw here).
      migrate(sql, [step("a"), step("b")]);
      expect(ran).toEqual(["a", "b"]);
      migrate(sql, [step("a"), step("b"), step("c")]);
      expect(ran).toEqual(["a", "b", "c"]);
      expect(versionOf(sql)).toBe("3");
      expect(() => migrate(sql, [step("a")])).toThrow(/schema version 3; this code knows versions up to 1/);
    });
  });

  it("the agent host, the conversation and the registry store the version they migrated to", async () => {
    const name = uniqueName("schema");
    expect((await deploy(name, env.FIXTURE_PING)).status).toBe(201);
    const res = await send(request(name, "hello"), null);
    const { conversation_id } = (await res.json()) as { conversation_id: string };
    const stored = async <T extends Rpc.DurableObjectBranded>(ns: DurableObjectNamespace<T>, id: string) =>
      await runInDurableObject(ns.get(ns.idFromName(id)), (_i, state) => versionOf(sqlOf(state.storage)));
    expect(await stored(env.AGENT_HOST, name)).toBe("3");
    // A conversation lives in the log shard its id hashes to.
    expect(await stored(env.CONVERSATION, logShardOf(conversation_id))).toBe("2");
    expect(await stored(env.REGISTRY, "registry")).toBe("2");
  });
});
