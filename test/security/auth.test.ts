import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { deploy, request, send, uniqueName } from "../integration/api.js";

const BASE = "http://agtest.test";
const SESSION = "0123456789abcdef0123456789abcdef";

/** Every route that changes the runtime (or routes a message), with a body it would accept. */
const management: [method: string, path: string, body?: () => BodyInit][] = [
  ["POST", "/v1/agents?name=auth-target", () => new Uint8Array(env.FIXTURE_PING)],
  ["PUT", "/v1/agents/auth-target", () => new Uint8Array(env.FIXTURE_PING)],
  ["DELETE", "/v1/agents/auth-target"],
  ["POST", "/v1/agents/auth-target/stop"],
  ["POST", "/v1/agents/auth-target/start"],
  ["POST", "/v1/messages", () => JSON.stringify(request("auth-target", "ping"))],
  ["POST", "/v1/agtalk/sessions"],
  ["DELETE", `/v1/agtalk/sessions/${SESSION}`],
  [
    "PUT",
    "/v1/profiles/octo/repo/main",
    () => JSON.stringify({ test_suite: "urn:agtest:suite:fipa:1.0.0", profile: {} }),
  ],
  ["POST", "/v1/runs", () => JSON.stringify({ agent: "auth-target" })],
];

/** Routes that only read. */
const reads = [
  "/v1/agents",
  "/v1/agents/auth-target",
  "/v1/agents/auth-target/dead-letters",
  "/v1/conversations/c-1",
  "/v1/directory",
  "/v1/openapi.json",
];

function call(method: string, path: string, token: string | null, body?: () => BodyInit): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type":
      path.startsWith("/v1/agents?") || path.startsWith("/v1/agents/auth-target")
        ? "application/wasm"
        : "application/json",
  };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return SELF.fetch(`${BASE}${path}`, { method, headers, ...(body ? { body: body() } : {}) });
}

async function code(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe("token scopes: management routes refuse missing, wrong and read-only tokens", () => {
  it.each(management)(
    "%s %s: no token 401, wrong token 401, read-only token 403 FORBIDDEN",
    async (method, path, body) => {
      const none = await call(method, path, null, body);
      expect([none.status, await code(none)]).toEqual([401, "UNAUTHORIZED"]);
      const wrong = await call(method, path, "not-the-token", body);
      expect([wrong.status, await code(wrong)]).toEqual([401, "UNAUTHORIZED"]);
      const readOnly = await call(method, path, env.AGTEST_READ_TOKEN, body);
      expect([readOnly.status, await code(readOnly)]).toEqual([403, "FORBIDDEN"]);
    },
  );

  it("none of those calls changed anything: the agent was never deployed", async () => {
    for (const [method, path, body] of management) await call(method, path, env.AGTEST_READ_TOKEN, body);
    expect((await call("GET", "/v1/agents/auth-target", env.AGTEST_TOKEN)).status).toBe(404);
  });

  it("every non-GET operation in the OpenAPI document refuses the read-only token (new routes included)", async () => {
    const doc = (await (await call("GET", "/v1/openapi.json", env.AGTEST_TOKEN)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const publicPaths = new Set(["/v1/health", "/v1/agents/{name}/inbox", "/v1/agtalk/sessions/{id}/inbox"]);
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      publicPaths.has(path)
        ? []
        : Object.keys(ops)
            .filter((m) => m !== "get")
            .map((m) => [m.toUpperCase(), path.replace("{name}", "auth-target").replace("{id}", SESSION)] as const),
    );
    expect(operations.length).toBeGreaterThanOrEqual(8);
    for (const [method, path] of operations) {
      const res = await call(method, path, env.AGTEST_READ_TOKEN);
      expect([method, path, res.status]).toEqual([method, path, 403]);
    }
  });

  it.each(reads)("GET %s accepts the read-only token", async (path) => {
    const res = await call("GET", path, env.AGTEST_READ_TOKEN);
    expect([401, 403]).not.toContain(res.status);
  });

  it("the read-only token reads what the admin token wrote", async () => {
    const name = uniqueName("ping");
    expect((await deploy(name, env.FIXTURE_PING)).status).toBe(201);
    const message = request(name, "ping");
    expect((await send(message)).status).toBe(200);
    const agent = await call("GET", `/v1/agents/${name}`, env.AGTEST_READ_TOKEN);
    expect(await agent.json()).toMatchObject({ name, state: "running" });
    const log = await call("GET", `/v1/conversations/${message.conversation_id}`, env.AGTEST_READ_TOKEN);
    expect(log.status).toBe(200);
  });

  it.each([
    ["a prefix of the admin token", () => env.AGTEST_TOKEN.slice(0, -1)],
    ["the admin token with one more character", () => `${env.AGTEST_TOKEN}x`],
    ["the admin token in another case", () => env.AGTEST_TOKEN.toUpperCase()],
    ["the read token with one more character", () => `${env.AGTEST_READ_TOKEN}x`],
  ])("%s is a wrong token (401)", async (_, token) => {
    const res = await call("GET", "/v1/agents", token());
    expect(res.status).toBe(401);
  });

  it("a token anywhere but the Authorization header is not a token", async () => {
    const query = await SELF.fetch(`${BASE}/v1/agents?token=${env.AGTEST_TOKEN}&access_token=${env.AGTEST_TOKEN}`);
    expect(query.status).toBe(401);
    const basic = await SELF.fetch(`${BASE}/v1/agents`, {
      headers: { authorization: `Basic ${btoa(`agtest:${env.AGTEST_TOKEN}`)}` },
    });
    expect(basic.status).toBe(401);
  });
});
