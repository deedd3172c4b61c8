import { Hono } from "hono";
import type { Env } from "../env.js";
import { ApiError } from "../errors.js";
import { hostOf } from "../stubs.js";

/**
 * `GET /v1/agents/:name/conversations`: the ids of the conversations the agent received a message
 * in most recently (newest first, at most 20). `agtest pair` finds this way the conversation an
 * initiator opened with a participant: the initiator names it, so nothing else tells the harness.
 */
export const agentConversations = new Hono<{ Bindings: Env }>().get("/:name/conversations", async (c) => {
  const name = c.req.param("name");
  const host = hostOf(c.env, name);
  const record = (await host.record()) as { ok: boolean };
  if (!record.ok) throw new ApiError("AGENT_NOT_FOUND", `no agent \`${name}\``);
  return c.json({ conversations: (await host.recentConversations()) as string[] });
});
