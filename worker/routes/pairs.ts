import { Hono } from "hono";
import * as z from "zod";
import type { Env } from "../env.js";
import { ApiError } from "../errors.js";
import { readJson } from "../body.js";
import type { PairSummary } from "../registry/index.js";
import { registryOf } from "../stubs.js";

/** The largest pair report accepted: a 12-agent matrix of three protocols is well under it. */
const MAX_PAIR_BYTES = 1024 * 1024;

const Outcome = z.looseObject({
  verdict: z.enum(["works", "fails", "unsupported"]),
  rule: z.string().max(100).optional(),
  by: z.enum(["initiator", "participant"]).nullable().optional(),
  detail: z.string().max(4_000).optional(),
});

/** What `agtest pair --json` prints (harness/core/pair/types.ts), checked as far as the page reads it. */
export const PairReportSchema = z.looseObject({
  report: z.literal("urn:agtest:pair:1"),
  suite: z.string().max(200),
  started_at: z.string().max(40),
  duration_ms: z.number(),
  agents: z
    .array(z.looseObject({ name: z.string().max(100) }))
    .min(1)
    .max(64),
  protocols: z
    .array(
      z.looseObject({
        protocol: z.string().max(100),
        title: z.string().max(200),
        expect: z.string().max(400),
        cells: z.array(
          z.looseObject({ initiator: z.string().max(100), participant: z.string().max(100), outcome: Outcome }),
        ),
        unsupported: z.array(
          z.looseObject({ agent: z.string(), role: z.enum(["initiator", "participant"]), why: z.string().max(4_000) }),
        ),
      }),
    )
    .max(32),
  oracle: z
    .looseObject({ profiles: z.array(z.string()), gaps: z.array(z.looseObject({ note: z.string().max(4_000) })) })
    .nullable(),
  notes: z.array(z.string().max(4_000)),
});

/** A pair report as checked by {@link PairReportSchema}. */
export type PostedPairReport = z.infer<typeof PairReportSchema>;

function summaryOf(report: PostedPairReport): PairSummary {
  const counts = { works: 0, fails: 0, unsupported: 0 };
  for (const m of report.protocols) for (const c of m.cells) counts[c.outcome.verdict]++;
  return { suite: report.suite, agents: report.agents.map((a) => a.name), ...counts };
}

/** `/v1/pairs`: store an `agtest pair` report (`agtest pair --post URL`), list and read them. */
export const pairs = new Hono<{ Bindings: Env }>()
  .post("/", async (c) => {
    const json = await readJson(c.req.raw, MAX_PAIR_BYTES);
    if (!json.ok)
      throw new ApiError("INVALID_REQUEST", `the body must be an agtest pair --json report; it is ${json.reason}`);
    const parsed = PairReportSchema.safeParse(json.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ApiError("INVALID_REQUEST", `${issue?.path.join(".") || "(body)"}: ${issue?.message ?? "invalid"}`);
    }
    const id = `pair-${crypto.randomUUID()}`;
    const summary = summaryOf(parsed.data);
    await registryOf(c.env).recordPair({ id, stored_at: new Date().toISOString(), summary, report: parsed.data });
    return c.json({ id, summary, url: `/pairs/${id}` }, 201);
  })
  .get("/", async (c) => c.json({ pairs: await registryOf(c.env).pairs() }))
  .get("/:id", async (c) => {
    const pair = await registryOf(c.env).pair(c.req.param("id"));
    if (!pair) throw new ApiError("NOT_FOUND", `no pair report \`${c.req.param("id")}\``);
    return c.json(pair);
  });
