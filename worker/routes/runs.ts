import { Hono } from "hono";
import * as z from "zod";
import type { Env } from "../env.js";
import { ApiError } from "../errors.js";
import { type SelfFetch, executeRun } from "../runs/execute.js";
import { readJson } from "../body.js";
import { registryOf } from "../stubs.js";

/** What the app hands these routes: its own fetch (the harness reaches the runtime in-process). */
export type RunsVariables = { self: SelfFetch };

/** The body of `POST /v1/runs` (the OpenAPI document describes it with this very schema). */
export const RunRequestSchema = z
  .object({
    agent: z.string().min(1),
    suite: z.string().default("fipa"),
    features: z.array(z.string()).min(1).optional(),
  })
  .strict();

/** `/v1/runs`: run a suite against a hosted agent at the edge; read stored runs. */
export const runs = new Hono<{ Bindings: Env; Variables: RunsVariables }>()
  .post("/", async (c) => {
    const json = await readJson(c.req.raw, 64 * 1024);
    if (!json.ok)
      throw new ApiError(
        "INVALID_REQUEST",
        `the body must be JSON: {"agent": NAME, "suite"?: ID, "features"?: [...]}; it is ${json.reason}`,
      );
    const parsed = RunRequestSchema.safeParse(json.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ApiError("INVALID_REQUEST", `${issue?.path.join(".") || "(body)"}: ${issue?.message ?? "invalid"}`);
    }
    const { agent, suite, features } = parsed.data;
    const outcome = await executeRun(c.env, c.var.self, agent, suite, features);
    return c.json({ id: outcome.id, agent, suite: outcome.suite, profile: outcome.profile }, 201);
  })
  .get("/", async (c) => c.json({ runs: await registryOf(c.env).runs(c.req.query("agent") ?? null) }))
  .get("/:id", async (c) => {
    const run = await registryOf(c.env).run(c.req.param("id"));
    if (!run) throw new ApiError("NOT_FOUND", `no run \`${c.req.param("id")}\``);
    return c.json(run);
  });
