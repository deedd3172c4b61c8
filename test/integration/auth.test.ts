import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const protectedRoutes: [string, string][] = [
  ["GET", "/v1/agents"],
  ["POST", "/v1/agents?name=x"],
  ["GET", "/v1/agents/x"],
  ["PUT", "/v1/agents/x"],
  ["DELETE", "/v1/agents/x"],
  ["POST", "/v1/agents/x/stop"],
  ["POST", "/v1/messages"],
  ["GET", "/v1/openapi.json"],
  ["GET", "/v1/conversations/c-1"],
  ["GET", "/v1/directory"],
  ["GET", "/v1/agents/x/dead-letters"],
  ["GET", "/v1/agents/x/state"],
  ["GET", "/v1/agents/x/logs"],
  ["GET", "/v1/agents/x/conversations"],
  ["POST", "/v1/pairs"],
  ["GET", "/v1/pairs"],
  ["GET", "/v1/pairs/pair-1"],
  ["POST", "/v1/agtalk/sessions"],
  ["GET", "/v1/agtalk/sessions/0123456789abcdef0123456789abcdef/messages"],
];

describe("bearer-token auth", () => {
  it("health is public", async () => {
    const res = await SELF.fetch("http://agtest.test/v1/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", version: expect.any(String) });
  });

  it.each(protectedRoutes)("%s %s without a token is 401 UNAUTHORIZED", async (method, path) => {
    const res = await SELF.fetch(`http://agtest.test${path}`, { method });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
  });

  it.each(protectedRoutes)("%s %s with a wrong token is 401 UNAUTHORIZED", async (method, path) => {
    const res = await SELF.fetch(`http://agtest.test${path}`, {
      method,
      headers: { authorization: "Bearer wrong-token" },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "UNAUTHORIZED", message: "invalid bearer token" } });
  });

  it("unknown routes are a JSON 404", async () => {
    const res = await SELF.fetch("http://agtest.test/v1/nope", { headers: { authorization: "Bearer test-token" } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  });
});
