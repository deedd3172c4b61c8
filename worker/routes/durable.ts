import { Hono } from "hono";
import type { Env } from "../env.js";
import { ApiError, unwrap } from "../errors.js";
import { LOG_LEVELS, LOG_PAGE } from "../host/logs.js";
import { hostOf } from "../stubs.js";

/** A non-negative integer query parameter, or a 400 naming it. */
function integer(value: string | undefined, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new ApiError("INVALID_REQUEST", `?${name} must be an integer from 0 to ${max}, got ${value}`);
  return n;
}

/** `?level=`: a level name or number; lines at that level and above. */
function minLevel(value: string | undefined): number {
  if (value === undefined || value === "") return 0;
  const named = (LOG_LEVELS as readonly string[]).indexOf(value.toLowerCase());
  if (named >= 0) return named;
  if (/^[0-3]$/.test(value)) return Number(value);
  throw new ApiError("INVALID_REQUEST", `?level must be one of ${LOG_LEVELS.join(", ")} (or 0 to 3), got ${value}`);
}

/** `/v1/agents/:name/state` and `/logs` (durable agents), for the owner. */
export const durable = new Hono<{ Bindings: Env }>()
  .get("/:name/state", async (c) => c.json(unwrap(await hostOf(c.env, c.req.param("name")).state())))
  .get("/:name/logs", async (c) => {
    const query = {
      after: integer(c.req.query("after"), "after", 0),
      minLevel: minLevel(c.req.query("level")),
      limit: integer(c.req.query("limit"), "limit", LOG_PAGE, LOG_PAGE) || LOG_PAGE,
    };
    return c.json(unwrap(await hostOf(c.env, c.req.param("name")).logs(query)));
  });
