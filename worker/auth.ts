import type { MiddlewareHandler } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import type { Env } from "./env.js";
import { ApiError } from "./errors.js";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Bearer-token auth against `env.AGTEST_TOKEN`, compared in constant time. A runtime with no token
 * configured refuses every protected route rather than running open.
 */
export function bearerAuth(): MiddlewareHandler<{ Bindings: Env }> {
  return async function requireToken(c, next) {
    const expected = c.env.AGTEST_TOKEN;
    if (!expected) {
      throw new ApiError(401, "UNAUTHORIZED", "this runtime has no AGTEST_TOKEN configured; every protected route is refused");
    }
    const header = c.req.header("authorization");
    if (!header) throw new ApiError(401, "UNAUTHORIZED", "missing Authorization: Bearer <token> header");
    const token = BEARER.exec(header)?.[1];
    if (!token || !(await timingSafeEqual(token, expected))) {
      throw new ApiError(401, "UNAUTHORIZED", "invalid bearer token");
    }
    await next();
  };
}
