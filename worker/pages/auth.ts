import type { MiddlewareHandler } from "hono";
import { basicAuth } from "hono/basic-auth";
import { timingSafeEqual } from "hono/utils/buffer";
import type { Env } from "../env.js";

/**
 * The dashboard asks for HTTP Basic credentials (any user name; the password is the runtime's
 * token or its read-only token), because a browser cannot send a bearer header by itself. The
 * pages show agents, conversations and message contents, so they are no more public than the API.
 */
export function dashboardAuth(): MiddlewareHandler<{ Bindings: Env }> {
  return async function requireDashboardToken(c, next) {
    const tokens = [c.env.AGTEST_TOKEN, c.env.AGTEST_READ_TOKEN].filter(
      (t): t is string => typeof t === "string" && t.length > 0,
    );
    const check = basicAuth({
      realm: "agtest dashboard",
      verifyUser: async (_user, password) => {
        let ok = false;
        for (const token of tokens) ok = (await timingSafeEqual(password, token)) || ok;
        return ok;
      },
    });
    return check(c, next);
  };
}
