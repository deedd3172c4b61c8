import type { MiddlewareHandler } from "hono";
import { timingSafeEqual } from "hono/utils/buffer";
import type { Env } from "./env.js";
import { ApiError } from "./errors.js";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Methods the read-only token may use: reading never changes the runtime. */
const READ_METHODS = new Set(["GET", "HEAD"]);

/**
 * Bearer-token auth, compared in constant time. Two scopes:
 * - `AGTEST_TOKEN` (admin): every protected route;
 * - `AGTEST_READ_TOKEN` (optional, read-only): `GET` routes only; anything else is
 *   `403 FORBIDDEN` (deploy, reload, delete, stop/start, messages, relay sessions, profile PUT).
 * A runtime with no admin token configured refuses every protected route rather than running open.
 */
export function bearerAuth(): MiddlewareHandler<{ Bindings: Env }> {
  return async function requireToken(c, next) {
    const admin = c.env.AGTEST_TOKEN;
    if (!admin) {
      throw new ApiError(
        "UNAUTHORIZED",
        "this runtime has no AGTEST_TOKEN configured; every protected route is refused",
      );
    }
    const header = c.req.header("authorization");
    if (!header) throw new ApiError("UNAUTHORIZED", "missing Authorization: Bearer <token> header");
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new ApiError("UNAUTHORIZED", "invalid bearer token");
    // Both comparisons always run, so timing does not tell which token came close.
    const reader = c.env.AGTEST_READ_TOKEN;
    const [isAdmin, isReader] = await Promise.all([
      timingSafeEqual(token, admin),
      reader ? timingSafeEqual(token, reader) : Promise.resolve(false),
    ]);
    if (isAdmin) return next();
    if (!isReader) throw new ApiError("UNAUTHORIZED", "invalid bearer token");
    if (!READ_METHODS.has(c.req.method)) {
      throw new ApiError(
        "FORBIDDEN",
        `the read-only token may only read (GET); ${c.req.method} ${c.req.path} needs the admin token`,
      );
    }
    await next();
  };
}
