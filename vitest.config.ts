import { readdirSync } from "node:fs";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { type TestProjectInlineConfiguration, defineConfig } from "vitest/config";

/** Every fixture agent as a data binding (`FIXTURE_PING`, `FIXTURE_MEMORY_HOG`...): real files, read by workerd. */
const fixtureBindings = Object.fromEntries(
  readdirSync("fixtures/agents")
    .filter((file) => file.endsWith(".wasm"))
    .map((file) => [`FIXTURE_${file.slice(0, -5).toUpperCase().replaceAll("-", "_")}`, `fixtures/agents/${file}`]),
);

/** The dashboard's pages are Hono JSX (tsconfig's `jsxImportSource`), for every project's transform. */
const jsx = { oxc: { jsx: { runtime: "automatic", importSource: "hono/jsx" } } } as const;

/** What a test scripted "the outside" to answer at a path, and every request the runtime made to it. */
type OutsideRequest = { url: string; hops: string | null; body: string };
const outside = {
  requests: [] as OutsideRequest[],
  scripts: new Map<string, { status: number; type: string; body: string }>(),
};

/**
 * The security project's outside world: every `fetch` the runtime itself makes (egress to external
 * agents) lands here, is recorded, and gets the answer a test scripted for its path (else 202).
 * A request to the runtime's own host (`agtest.test`, what SELF.fetch uses) goes back into the
 * runtime, as a POST to its own public inbox would at the edge.
 */
async function outsideWorld(
  request: Request,
  mf: { dispatchFetch(url: string, init: RequestInit): Promise<Response> },
): Promise<Response> {
  const body = await request.text();
  outside.requests.push({ url: request.url, hops: request.headers.get("x-agtest-hops"), body });
  const url = new URL(request.url);
  if (url.hostname === "agtest.test") {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const res = await mf.dispatchFetch(request.url, { method: request.method, headers, body });
    return new Response(await res.text(), {
      status: res.status,
      headers: { "content-type": res.headers.get("content-type") ?? "text/plain" },
    });
  }
  const script = outside.scripts.get(url.pathname);
  if (!script) return new Response(null, { status: 202 });
  return new Response(script.body, { status: script.status, headers: { "content-type": script.type } });
}

/** OUTSIDE_LOG: `GET /requests?path=P` (what reached the outside at P), `PUT /script?path=P` (its answer). */
async function outsideLog(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const path = url.searchParams.get("path") ?? "";
  if (request.method === "PUT") {
    outside.scripts.set(path, (await request.json()) as { status: number; type: string; body: string });
    return new Response(null, { status: 204 });
  }
  return Response.json(outside.requests.filter((r) => new URL(r.url).pathname.startsWith(path)));
}

/** A project whose tests run inside real workerd (the Workers pool): the worker, its Durable Objects and Worker Loader. */
function workerd(
  name: string,
  include: string[],
  serviceBindings: Record<string, (request: Request) => Response | Promise<Response>> = {},
  vars: Record<string, string> = {},
  globalSetup: string[] = [],
  extra: { outboundService?: typeof outsideWorld } = {},
): TestProjectInlineConfiguration {
  return {
    ...jsx,
    plugins: [
      cloudflareTest({
        main: "./worker/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: { AGTEST_TOKEN: "test-token", AGTEST_READ_TOKEN: "read-token", ...vars },
          dataBlobBindings: fixtureBindings,
          serviceBindings,
          ...(extra.outboundService ? { outboundService: extra.outboundService } : {}),
        },
      }),
    ],
    test: { name, include, testTimeout: 20_000, globalSetup },
  };
}

/** A project whose tests run in Node and start runtime processes themselves. */
function node(name: string, include: string[], timeout: number): TestProjectInlineConfiguration {
  return { ...jsx, test: { name, include, environment: "node", testTimeout: timeout, hookTimeout: timeout } };
}

/**
 * The test levels, one project each (`npm run test:<level>`):
 * - unit: pure TypeScript in Node (wasm pipeline, protocol, harness core), fuzzing included;
 * - integration: the worker inside real workerd through the Workers pool;
 * - system: real runtimes started by the test (restart, local server, harness, action end to end);
 * - security: the threat model's tests (SECURITY.md), in workerd;
 * - chaos and load: long, bounded runs against a real runtime on loopback (`npm run test:long`).
 * `npm test` runs all but the long ones.
 */
export default defineConfig({
  test: {
    projects: [
      // A ceiling, not a verdict: fuzzers and side-by-side wasm runs take seconds on a loaded runner.
      { ...jsx, test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node", testTimeout: 60_000 } },
      // The C and Rust sample agents are built by the machine's compilers before the tests run.
      workerd("integration", ["test/integration/**/*.test.ts"], {}, {}, ["test/setup/native-agents.ts"]),
      // Durable agents: the same negotiation and durable tests with a new isolate per delivery.
      workerd(
        "integration-fresh",
        ["test/integration/negotiation.test.ts", "test/integration/durable.test.ts"],
        {},
        { AGTEST_FRESH_ISOLATES: "1" },
      ),
      node("system", ["test/system/**/*.test.ts"], 60_000),
      // PROBE_OUTBOUND: a network for the sandbox test's control probe (answers every request 200).
      // The runtime's own fetches go to `outsideWorld`, OUTSIDE_LOG tells the tests what reached it.
      workerd(
        "security",
        ["test/security/**/*.test.ts"],
        { PROBE_OUTBOUND: () => new Response("out there"), OUTSIDE_LOG: outsideLog },
        {},
        [],
        { outboundService: outsideWorld },
      ),
      node("chaos", ["test/chaos/**/*.test.ts"], 120_000),
      node("load", ["test/load/**/*.test.ts"], 180_000),
    ],
    // `npm run coverage`: npm test's levels (unit, integration, system, security) in one merged
    // report. istanbul, because V8 coverage cannot run inside workerd. Code that system tests run
    // in a workerd process of their own (a started runtime, the bundled action) is out of reach.
    coverage: {
      provider: "istanbul",
      include: ["protocol/**/*.ts", "worker/**/*.{ts,tsx}", "harness/**/*.ts", "suites/**/*.ts", "action/src/**/*.ts"],
      exclude: ["worker/local/**", "**/*.d.ts"],
      reporter: ["text-summary", "text", "json-summary", "html"],
      reportOnFailure: true,
      thresholds: {
        lines: 80,
        // The deploy validator: validate.ts and everything it calls to parse the module and check
        // the ABI (parser, reader, sections, segments, code bodies, opcodes, type checker, limits,
        // ABI table, errors).
        "worker/wasm/{validate,parse,reader,sections,segments,code,opcodes,typecheck,limits,abi,errors}.ts": {
          lines: 100,
        },
        // The interop profile: scoring (scoreJunction, parseScore, isScore) and the profile parser.
        "protocol/profile.ts": { lines: 100 },
      },
    },
  },
});
