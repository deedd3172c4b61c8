import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from "@asteasolutions/zod-to-openapi";
import { PairReportSchema } from "./routes/pairs.js";
import * as z from "zod";
import { AclMessageSchema, InteropProfileSchema } from "../protocol/index.js";
import { AgentRecordSchema, ServiceSchema } from "./host/record.js";
import { RunRequestSchema } from "./routes/runs.js";
import { ManifestSchema } from "./upload.js";

/**
 * The OpenAPI 3.1 description of `/v1`, generated from the same zod schemas the routes validate
 * with, so the document cannot drift from the code on messages, manifests and records.
 */
const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const AcceptedSchema = z.object({ message_id: z.string(), conversation_id: z.string() });
const name = z.object({ name: z.string() });
const json = (schema: z.ZodType, description: string): ResponseConfig => ({
  description,
  content: { "application/json": { schema } },
});
const errors = (...codes: number[]): Record<number, ResponseConfig> =>
  Object.fromEntries(codes.map((code) => [code, json(ErrorSchema, `error (${code})`)]));
const moduleBody = {
  content: {
    "application/wasm": { schema: z.string().meta({ format: "binary" }) },
    "multipart/form-data": {
      schema: z.object({ module: z.string().meta({ format: "binary" }), manifest: ManifestSchema.optional() }),
    },
  },
};

function build(version: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  const security = [{ bearer: [] }];
  /** Public operations: no token. */
  const open: { [scheme: string]: string[] }[] = [];
  registry.registerPath({
    method: "get",
    path: "/v1/health",
    operationId: "health",
    summary: "Liveness and version",
    security: open,
    responses: { 200: json(z.object({ status: z.literal("ok"), version: z.string() }), "the runtime is up") },
  });
  registry.registerPath({
    method: "post",
    path: "/v1/agents",
    operationId: "deployAgent",
    summary: "Deploy an agent (validated against ABI agtest/1, memory capped, instrumented with fuel)",
    security,
    request: { query: z.object({ name: z.string().optional() }), body: moduleBody },
    responses: { 201: json(AgentRecordSchema, "the agent record"), ...errors(400, 401, 409, 413, 415) },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/agents",
    operationId: "listAgents",
    summary: "List agents",
    security,
    responses: { 200: json(z.object({ agents: z.array(AgentRecordSchema) }), "every agent"), ...errors(401) },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/agents/{name}",
    operationId: "getAgent",
    summary: "One agent's record",
    security,
    request: { params: name },
    responses: { 200: json(AgentRecordSchema, "the agent record"), ...errors(401, 404) },
  });
  registry.registerPath({
    method: "put",
    path: "/v1/agents/{name}",
    operationId: "reloadAgent",
    summary: "Hot reload to a new module version without dropping messages",
    security,
    request: { params: name, body: moduleBody },
    responses: { 200: json(AgentRecordSchema, "the agent record"), ...errors(400, 401, 404, 413, 415) },
  });
  for (const action of ["stop", "start"] as const) {
    registry.registerPath({
      method: "post",
      path: `/v1/agents/{name}/${action}`,
      operationId: `${action}Agent`,
      summary: action === "stop" ? "Stop the agent" : "Start a stopped or failed agent",
      security,
      request: { params: name },
      responses: { 200: json(AgentRecordSchema, "the agent record"), ...errors(401, 404) },
    });
  }
  registry.registerPath({
    method: "delete",
    path: "/v1/agents/{name}",
    operationId: "deleteAgent",
    summary: "Delete the agent and everything it stored",
    security,
    request: { params: name },
    responses: { 204: { description: "deleted" }, ...errors(401, 404) },
  });
  registry.registerPath({
    method: "post",
    path: "/v1/messages",
    operationId: "sendMessage",
    summary: "Route a FIPA ACL message; with ?wait=MS answer with the first reply in the conversation",
    security,
    request: {
      query: z.object({ wait: z.number().int().min(0).max(30_000).optional() }),
      body: { content: { "application/json": { schema: AclMessageSchema } } },
    },
    responses: {
      200: json(AclMessageSchema, "the first reply"),
      202: json(AcceptedSchema, "accepted (no reply within wait, or no wait asked)"),
      ...errors(400, 401, 403, 404, 409, 413, 429),
    },
  });
  const Logged = z.object({
    seq: z.number().int(),
    at: z.string(),
    origin: z.enum(["external", "agent", "runtime"]),
    violation: z.string().nullable(),
    message: AclMessageSchema,
  });
  registry.registerPath({
    method: "get",
    path: "/v1/conversations/{id}",
    operationId: "getConversation",
    summary: "Every message of a conversation, in order, with its interaction protocol and state",
    security,
    request: { params: z.object({ id: z.string() }) },
    responses: {
      200: json(
        z.object({
          conversation_id: z.string(),
          protocol: z.string().nullable(),
          state: z.string(),
          violations: z.number().int(),
          messages: z.array(Logged),
        }),
        "the transcript",
      ),
      ...errors(401, 404),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/directory",
    operationId: "searchDirectory",
    summary: "Directory facilitator: agents registering a service that matches every filter",
    security,
    request: {
      query: z.object({
        service: z.string().optional(),
        type: z.string().optional(),
        protocol: z.string().optional(),
        ontology: z.string().optional(),
      }),
    },
    responses: {
      200: json(
        z.object({
          agents: z.array(z.object({ name: z.string(), state: z.string(), services: z.array(ServiceSchema) })),
        }),
        "matches",
      ),
      ...errors(401),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/agents/{name}/dead-letters",
    operationId: "listDeadLetters",
    summary: "Messages that could not be delivered to the agent",
    security,
    request: { params: name },
    responses: {
      200: json(
        z.object({
          dead_letters: z.array(
            z.object({ message_id: z.string(), message: AclMessageSchema, reason: z.string(), at: z.string() }),
          ),
        }),
        "dead letters",
      ),
      ...errors(401, 404),
    },
  });
  // Durable agents: the agent's state and log, for its owner.
  registry.registerPath({
    method: "get",
    path: "/v1/agents/{name}/state",
    operationId: "getAgentState",
    summary: "The agent's key-value state (state_put), its size against the quota, its pending timers",
    security,
    request: { params: name },
    responses: {
      200: json(
        z.object({
          entries: z.array(
            z.object({ key: z.string(), bytes: z.number().int(), text: z.string().nullable(), base64: z.string() }),
          ),
          bytes: z.number().int(),
          quota: z.number().int(),
          timers: z.array(z.object({ due_at: z.string(), tag: z.string() })),
        }),
        "the state",
      ),
      ...errors(401, 404),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/agents/{name}/logs",
    operationId: "getAgentLogs",
    summary: "What the agent logged (agent.log) and its traps, oldest first, after a cursor",
    security,
    request: {
      params: name,
      query: z.object({
        level: z.enum(["debug", "info", "warn", "error", "0", "1", "2", "3"]).optional(),
        after: z.string().optional(),
        limit: z.string().optional(),
      }),
    },
    responses: {
      200: json(
        z.object({
          logs: z.array(
            z.object({
              seq: z.number().int(),
              at: z.string(),
              level: z.enum(["debug", "info", "warn", "error"]),
              text: z.string(),
              message_id: z.string().nullable(),
            }),
          ),
          next: z.number().int(),
        }),
        "log lines and the cursor for the next page",
      ),
      ...errors(400, 401, 404),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/agents/{name}/quiet",
    operationId: "waitAgentQuiet",
    summary:
      "Whether the agent has nothing more to say (mailbox empty, nothing in flight, no retry or timer pending), waiting up to `wait` ms",
    security,
    request: { params: name, query: z.object({ wait: z.number().int().min(0).max(30_000).optional() }) },
    responses: {
      200: json(
        z.object({
          quiet: z.boolean(),
          state: z.string(),
          mailbox: z.number().int(),
          retrying: z.number().int(),
          timers: z.number().int(),
          waited_ms: z.number(),
        }),
        "the agent's state when it became quiet or the wait ran out",
      ),
      ...errors(400, 401, 404),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/agents/{name}/conversations",
    operationId: "listAgentConversations",
    summary: "The conversations the agent received a message in most recently (ids, newest first, at most 20)",
    security,
    request: { params: name },
    responses: {
      200: json(z.object({ conversations: z.array(z.string()) }), "conversation ids, newest first"),
      ...errors(401, 404),
    },
  });
  registry.registerPath({
    method: "post",
    path: "/v1/agents/{name}/inbox",
    operationId: "postAgentInbox",
    summary: "Public HTTP transport of a hosted agent (no token): what external agents post to",
    security: open,
    request: {
      params: name,
      query: z.object({ wait: z.number().int().min(0).max(30_000).optional() }),
      body: { content: { "application/json": { schema: AclMessageSchema } } },
    },
    responses: {
      200: json(AclMessageSchema, "the first reply"),
      202: json(AcceptedSchema, "accepted"),
      ...errors(400, 413, 429),
    },
  });
  const Session = z.object({ id: z.string(), name: z.string(), inbox_url: z.string() });
  registry.registerPath({
    method: "post",
    path: "/v1/agtalk/sessions",
    operationId: "openRelaySession",
    summary: "Open an agtalk relay session (a mailbox for runners that cannot accept inbound connections)",
    security,
    responses: { 201: json(Session, "the session"), ...errors(401) },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/agtalk/sessions/{id}/messages",
    operationId: "readRelaySession",
    summary: "Long-poll the messages a relay session received",
    security,
    request: {
      params: z.object({ id: z.string() }),
      query: z.object({ after: z.number().int().optional(), wait: z.number().int().optional() }),
    },
    responses: {
      200: json(
        z.object({
          messages: z.array(z.object({ seq: z.number().int(), message: z.unknown() })),
          next: z.number().int(),
        }),
        "messages",
      ),
      ...errors(401, 404),
    },
  });
  registry.registerPath({
    method: "delete",
    path: "/v1/agtalk/sessions/{id}",
    operationId: "closeRelaySession",
    summary: "Close a relay session",
    security,
    request: { params: z.object({ id: z.string() }) },
    responses: { 204: { description: "closed" }, ...errors(401, 404) },
  });
  registry.registerPath({
    method: "post",
    path: "/v1/agtalk/sessions/{id}/inbox",
    operationId: "postRelayInbox",
    summary: "Public capability URL of a relay session: external agents post messages here (kept as sent)",
    security: open,
    request: {
      params: z.object({ id: z.string() }),
      body: { content: { "application/json": { schema: z.unknown() } } },
    },
    responses: { 202: json(z.object({ accepted: z.literal(true) }), "kept"), ...errors(400, 404, 413) },
  });
  const Profile = InteropProfileSchema;
  const repoRef = z.object({ owner: z.string(), repo: z.string(), ref: z.string() });
  registry.registerPath({
    method: "put",
    path: "/v1/profiles/{owner}/{repo}/{ref}",
    operationId: "putProfile",
    summary: "Store an interop profile for a repository ref (the GitHub Action publishes here)",
    security,
    request: { params: repoRef, body: { content: { "application/json": { schema: Profile } } } },
    responses: {
      200: json(
        z.object({
          owner: z.string(),
          repo: z.string(),
          ref: z.string(),
          test_suite: z.string(),
          stored_at: z.string(),
        }),
        "replaced",
      ),
      201: json(
        z.object({
          owner: z.string(),
          repo: z.string(),
          ref: z.string(),
          test_suite: z.string(),
          stored_at: z.string(),
        }),
        "stored",
      ),
      ...errors(400, 401, 413),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/profiles/{owner}/{repo}/{ref}",
    operationId: "getProfile",
    summary: "The latest interop profile of a repository ref (?suite=URI to choose the suite)",
    security,
    request: { params: repoRef, query: z.object({ suite: z.string().optional() }) },
    responses: { 200: json(Profile, "the profile"), ...errors(401, 404) },
  });
  registry.registerPath({
    method: "post",
    path: "/v1/runs",
    operationId: "startRun",
    summary: "Run a suite against a hosted agent at the edge and store the report and profile",
    security,
    request: {
      body: {
        content: {
          "application/json": {
            schema: RunRequestSchema,
          },
        },
      },
    },
    responses: {
      201: json(z.object({ id: z.string(), agent: z.string(), suite: z.string(), profile: Profile }), "the run"),
      ...errors(400, 401, 404, 409, 422),
    },
  });
  const RunSummary = z.object({
    id: z.string(),
    agent: z.string(),
    suite: z.string(),
    started_at: z.string(),
    summary: z.object({
      junctions: z.array(z.object({ junction: z.string(), score: z.string(), passed: z.number(), total: z.number() })),
      ms: z.number(),
    }),
  });
  registry.registerPath({
    method: "get",
    path: "/v1/runs",
    operationId: "listRuns",
    summary: "Stored runs, newest first (?agent=NAME to filter)",
    security,
    request: { query: z.object({ agent: z.string().optional() }) },
    responses: { 200: json(z.object({ runs: z.array(RunSummary) }), "runs"), ...errors(401) },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/runs/{id}",
    operationId: "getRun",
    summary: "One run with its full report (every test, failures with expected and received)",
    security,
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: json(RunSummary.extend({ report: z.unknown() }), "the run"), ...errors(401, 404) },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/badges/{owner}/{repo}/{file}",
    operationId: "getBadge",
    summary:
      "The live interop badge of a ref's latest profile (public): `REF.svg`, or `REF.json` for a shields.io endpoint",
    security: open,
    request: {
      params: repoRef.omit({ ref: true }).extend({
        file: z.string().meta({ description: "the ref and the format: `REF.svg` or `REF.json`", example: "main.svg" }),
      }),
      query: z.object({ suite: z.string().optional() }),
    },
    responses: {
      200: {
        description: "the badge (`interop | unknown`, not cached, while the ref has no profile)",
        content: {
          "image/svg+xml": { schema: z.string() },
          "application/json": {
            schema: z.object({
              schemaVersion: z.literal(1),
              label: z.string(),
              message: z.string(),
              color: z.string(),
            }),
          },
        },
      },
      ...errors(404),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/openapi.json",
    operationId: "getOpenApiDocument",
    summary: "This document",
    security,
    responses: {
      200: {
        description: "the OpenAPI 3.1 document",
        content: { "application/json": { schema: z.object({}).passthrough() } },
      },
      ...errors(401),
    },
  });
  const PairSummary = z.object({
    id: z.string(),
    stored_at: z.string(),
    summary: z.object({
      suite: z.string(),
      agents: z.array(z.string()),
      works: z.number().int(),
      fails: z.number().int(),
      unsupported: z.number().int(),
    }),
  });
  registry.registerPath({
    method: "post",
    path: "/v1/pairs",
    operationId: "storePair",
    summary:
      "Store an `agtest pair --json` report (initiator x participant matrices), shown on the dashboard's pairs page",
    security,
    request: { body: { content: { "application/json": { schema: PairReportSchema } } } },
    responses: {
      201: json(PairSummary.omit({ stored_at: true }).extend({ url: z.string() }), "the stored report"),
      ...errors(400, 401, 413),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/pairs",
    operationId: "listPairs",
    summary: "Stored pair reports, newest first (summaries)",
    security,
    responses: { 200: json(z.object({ pairs: z.array(PairSummary) }), "pair reports"), ...errors(401) },
  });
  registry.registerPath({
    method: "get",
    path: "/v1/pairs/{id}",
    operationId: "getPair",
    summary: "One stored pair report, in full",
    security,
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: json(PairSummary.extend({ report: z.unknown() }), "the pair report"), ...errors(401, 404) },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "agtest edge runtime",
      version,
      description: "Sandboxed WebAssembly agents speaking FIPA ACL.",
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
  });
}

let cached: ReturnType<typeof build> | undefined;

/** The OpenAPI document (built once per isolate), with the origin it is served from as its server. */
export function openApiDocument(version: string, origin: string): ReturnType<typeof build> {
  cached ??= build(version);
  return { ...cached, servers: [{ url: origin, description: "this runtime" }] };
}
