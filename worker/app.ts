import { VERSION } from "../protocol/version.js";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { bearerAuth } from "./auth.js";
import type { Env } from "./env.js";
import { ApiError } from "./errors.js";
import { openApiDocument } from "./openapi.js";
import { pages } from "./pages/index.js";
import { agentConversations } from "./routes/agent-conversations.js";
import { agents } from "./routes/agents.js";
import { agtalk, agtalkInbox } from "./routes/agtalk.js";
import { badges } from "./routes/badges.js";
import { conversations } from "./routes/conversations.js";
import { directory } from "./routes/directory.js";
import { durable } from "./routes/durable.js";
import { inbox, messages } from "./routes/messages.js";
import { pairs } from "./routes/pairs.js";
import { profiles } from "./routes/profiles.js";
import { quiet } from "./routes/quiet.js";
import { type RunsVariables, runs } from "./routes/runs.js";

/** Hands a request's handlers the app's own fetch, on the same bindings and execution context. */
const selfFetch = createMiddleware<{ Bindings: Env; Variables: RunsVariables }>(async (c, next) => {
  c.set("self", async (request) => app.fetch(request, c.env, c.executionCtx));
  await next();
});

/** The runtime's HTTP API (`/v1`). */
export const app = new Hono<{ Bindings: Env }>()
  // Public: health, hosted agents' inboxes, relay inboxes (capability URLs) and badges.
  .get("/v1/health", (c) => c.json({ status: "ok", version: c.env.AGTEST_VERSION ?? VERSION }))
  .route("/v1/agents", inbox)
  .route("/v1/agtalk/sessions", agtalkInbox)
  .route("/v1/badges", badges)
  .use("/v1/*", bearerAuth())
  .get("/v1/openapi.json", (c) => c.json(openApiDocument(c.env.AGTEST_VERSION ?? VERSION, new URL(c.req.url).origin)))
  .route("/v1/agents", agents)
  .route("/v1/agents", quiet)
  .route("/v1/agents", agentConversations)
  .route("/v1/agents", durable)
  .route("/v1/messages", messages)
  .route("/v1/conversations", conversations)
  .route("/v1/directory", directory)
  .route("/v1/agtalk/sessions", agtalk)
  .route("/v1/profiles", profiles)
  // The runs routes drive this very app in-process: it hands them its own fetch.
  .use("/v1/runs/*", selfFetch)
  .route("/v1/runs", runs)
  .route("/v1/pairs", pairs)
  .route("/", pages)
  .notFound((c) => new ApiError("NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`).getResponse())
  .onError((err) => {
    // An ApiError answers with its code's status; Hono's own middleware (basic auth on the
    // dashboard) with the response it prepared.
    if (err instanceof HTTPException) return err.getResponse();
    console.error("unhandled error", err);
    return new ApiError("INTERNAL", "internal error; see the runtime's log").getResponse();
  });
