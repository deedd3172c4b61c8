import { Hono } from "hono";
import type { Env } from "../env.js";
import { unwrap } from "../errors.js";
import { parseWait } from "./messages.js";
import { hostOf } from "../stubs.js";

/**
 * `GET /v1/agents/:name/quiet?wait=MS`: whether the agent has nothing more to say (mailbox empty,
 * nothing in flight, no retry or timer pending, everything it emitted routed), waiting up to
 * `wait` ms (at most 30 s) for it. Always `200` with the state; `quiet: false` when the wait ran
 * out first. The harness ends its "nothing more arrives" checks on it for hosted agents.
 */
export const quiet = new Hono<{ Bindings: Env }>().get("/:name/quiet", async (c) => {
  const wait = parseWait(c.req.query("wait")) ?? 0;
  return c.json(unwrap(await hostOf(c.env, c.req.param("name")).quiet(wait)));
});
