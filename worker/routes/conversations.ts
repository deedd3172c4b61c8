import { Hono } from "hono";
import type { Env } from "../env.js";
import { ApiError } from "../errors.js";
import { conversationOf } from "../stubs.js";

/** `GET /v1/conversations/:id`: every message of a conversation, in order, with its protocol state. */
export const conversations = new Hono<{ Bindings: Env }>().get("/:id", async (c) => {
  const id = c.req.param("id");
  const transcript = await conversationOf(c.env, id).transcript();
  if (!transcript) throw new ApiError("NOT_FOUND", `no conversation \`${id}\``);
  return c.json(transcript);
});
