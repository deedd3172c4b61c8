import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app.js";

type Operation = {
  operationId?: string;
  summary?: string;
  security?: { [scheme: string]: string[] }[];
  parameters?: { in: string; name: string }[];
  responses: Record<string, unknown>;
};
type Document = {
  openapi: string;
  info: { title: string; version: string; license?: { name: string; identifier?: string } };
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, unknown> };
};

const METHODS = ["get", "put", "post", "delete", "patch"];

async function served(): Promise<Document> {
  const res = await SELF.fetch("http://agtest.test/v1/openapi.json", {
    headers: { authorization: "Bearer test-token" },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Document;
}

/** Every operation of the document as `METHOD /path/{param}`. */
function documented(doc: Document): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => METHODS.includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
}

/** Every API route the app answers, as `METHOD /path/{param}` (`:name{regex}` and `:name` become `{name}`). */
function routed(): string[] {
  const routes = app.routes
    .filter((r) => r.method !== "ALL" && r.path.startsWith("/v1/"))
    .map((r) => `${r.method} ${r.path.replace(/:(\w+)(\{[^/]*\})?/g, "{$1}")}`);
  return [...new Set(routes)];
}

function operations(doc: Document): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([m]) => METHODS.includes(m))
      .map(([m, op]): [string, Operation] => [`${m.toUpperCase()} ${path}`, op]),
  );
}

describe("the OpenAPI document", () => {
  it("describes exactly the routes the app answers under /v1", async () => {
    const doc = await served();
    expect(doc.openapi).toBe("3.1.0");
    expect(documented(doc).sort()).toEqual(routed().sort());
    // The badge routes and the document itself are among them.
    expect(routed()).toEqual(
      expect.arrayContaining(["GET /v1/badges/{owner}/{repo}/{file}", "GET /v1/openapi.json", "GET /v1/health"]),
    );
  });

  it("names this runtime as its server, and a license", async () => {
    const doc = await served();
    expect(doc.servers).toEqual([{ url: "http://agtest.test", description: "this runtime" }]);
    expect(doc.info.license).toEqual({ name: "Apache-2.0", identifier: "Apache-2.0" });
  });

  it("gives every operation a unique, URL-safe operationId, a summary and a 2xx response", async () => {
    const ops = operations(await served());
    const ids = ops.map(([, op]) => op.operationId);
    for (const [key, op] of ops) {
      expect(op.operationId, key).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
      expect(op.summary, key).toBeTruthy();
      expect(
        Object.keys(op.responses).some((s) => s.startsWith("2")),
        key,
      ).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("declares every path parameter, and only those", async () => {
    for (const [key, op] of operations(await served())) {
      const inPath = [...key.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? [])
        .filter((p) => p.in === "path")
        .map((p) => p.name)
        .sort();
      expect(declared, key).toEqual(inPath);
    }
  });

  it("states each operation's security, and it is what the runtime enforces", async () => {
    const doc = await served();
    expect(Object.keys(doc.components?.securitySchemes ?? {})).toEqual(["bearer"]);
    for (const [key, op] of operations(doc)) {
      expect(op.security, key).toBeDefined();
      const [method, path] = key.split(" ") as [string, string];
      const url = `http://agtest.test${path.replace(/\{(\w+)\}/g, (_, p: string) => (p === "file" ? "main.svg" : "x"))}`;
      const res = await SELF.fetch(url, { method, body: method === "GET" || method === "DELETE" ? undefined : "{}" });
      await res.body?.cancel();
      if (op.security?.length === 0) expect(res.status, `${key} is public`).not.toBe(401);
      else {
        expect(op.security, key).toEqual([{ bearer: [] }]);
        expect(res.status, `${key} needs the token`).toBe(401);
        expect(Object.keys(op.responses), key).toContain("401");
      }
    }
  });
});
