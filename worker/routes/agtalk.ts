import { Hono } from "hono";
import type { Env } from "../env.js";
import { ApiError } from "../errors.js";
import { MAX_LIMITS } from "../limits.js";
import { AGTALK_PREFIX } from "../relay/index.js";
import { MAX_HOPS } from "../routing/index.js";
import { readJson } from "../body.js";
import { hopsOf, parseWait } from "./messages.js";
import { relayOf } from "../stubs.js";

const ID = /^[0-9a-f]{32}$/;

function sessionId(raw: string): string {
  if (!ID.test(raw)) throw new ApiError("NOT_FOUND", "no such agtalk session");
  return raw;
}

/**
 * `/v1/agtalk/sessions`: relay mailboxes for runners that cannot accept inbound connections.
 * Creating, reading and closing need the token; the inbox URL is a capability (unguessable id).
 */
export const agtalk = new Hono<{ Bindings: Env }>()
  .post("/", async (c) => {
    const id = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
    const inboxUrl = `${new URL(c.req.url).origin}/v1/agtalk/sessions/${id}/inbox`;
    await relayOf(c.env, id).open(id, inboxUrl);
    return c.json({ id, name: `${AGTALK_PREFIX}${id}`, inbox_url: inboxUrl }, 201);
  })
  .get("/:id/messages", async (c) => {
    const after = Number(c.req.query("after") ?? 0);
    if (!Number.isInteger(after) || after < 0)
      throw new ApiError("INVALID_REQUEST", "after must be a sequence number (an integer >= 0)");
    const read = await relayOf(c.env, sessionId(c.req.param("id"))).read(after, parseWait(c.req.query("wait")) ?? 0);
    if (!read) throw new ApiError("NOT_FOUND", "no such agtalk session");
    return c.json(read);
  })
  .delete("/:id", async (c) => {
    if (!(await relayOf(c.env, sessionId(c.req.param("id"))).close()))
      throw new ApiError("NOT_FOUND", "no such agtalk session");
    return c.body(null, 204);
  });

/** `POST /v1/agtalk/sessions/:id/inbox`: what an external agent posts to (public capability URL). */
export const agtalkInbox = new Hono<{ Bindings: Env }>().post("/:id/inbox", async (c) => {
  const id = sessionId(c.req.param("id"));
  const hops = hopsOf(c.req.raw);
  if (hops >= MAX_HOPS) throw new ApiError("INVALID_MESSAGE", `hop limit (${MAX_HOPS}) reached: a message loop?`);
  const json = await readJson(c.req.raw, MAX_LIMITS.message_bytes);
  if (!json.ok) throw new ApiError("INVALID_MESSAGE", `(body): ${json.reason}`);
  // The relay keeps what the agent sent as it is, valid or not: judging it is the harness's job.
  if (!(await relayOf(c.env, id).push(json.value, hops))) throw new ApiError("NOT_FOUND", "no such agtalk session");
  return c.json({ accepted: true }, 202);
});
