import { z } from "zod";
import type { RunReport } from "./report.js";
import { SCORE_PATTERN, parseScore } from "./score.js";

const score = z
  .string()
  .regex(SCORE_PATTERN, 'expected "interoperable", "divergent" or "constrained (N of M)"')
  .refine((s) => {
    const parsed = parseScore(s);
    return parsed?.kind !== "constrained" || parsed.passed < parsed.total;
  }, "a constrained score passes fewer tests than it has (N < M)");

const failure = z.looseObject({ message: z.string(), expected: z.unknown().optional(), received: z.unknown().optional() });

/**
 * An interop profile (HIPE 0015 "Interop Profile JSON", as ARCHITECTURE.md fixes it): the suite
 * URI, one score per junction that was claimed and run, and extra keys (digest, subject, per-test
 * results). Extra keys are kept, so profiles written by newer versions still parse.
 */
export const InteropProfileSchema = z.looseObject({
  test_suite: z.string().min(1),
  profile: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$/, "expected a dotted junction id"), score),
  suite_digest: z.string().regex(/^sha256-[0-9a-f]{64}$/, "expected sha256- and 64 hex digits").optional(),
  subject: z.looseObject({ name: z.string(), version: z.string().optional(), digest: z.string().optional() }).optional(),
  results: z
    .array(
      z.looseObject({
        test: z.string(),
        status: z.enum(["pass", "fail", "skip", "error"]),
        ms: z.number().nonnegative(),
        junction: z.string().optional(),
        essential: z.boolean().optional(),
        failure: failure.optional(),
      }),
    )
    .optional(),
});

/** A parsed interop profile. */
export type InteropProfile = z.infer<typeof InteropProfileSchema>;

/** Parses a stored profile (already JSON-parsed); throws a zod error naming the bad key. */
export function parseProfile(value: unknown): InteropProfile {
  return InteropProfileSchema.parse(value);
}

/** The interop profile of a run: junctions that did not run are absent (they mean divergent). */
export function toProfile(report: RunReport): InteropProfile {
  return {
    test_suite: report.suite.uri,
    profile: Object.fromEntries(report.junctions.map((j) => [j.junction, j.score])),
    suite_digest: report.suite.digest,
    subject: report.subject,
    generated_at: report.started_at,
    generator: "agtest",
    channel: report.channel,
    backchannel: report.backchannel,
    results: report.results,
    ...(report.not_run.length > 0 ? { not_run: report.not_run } : {}),
    ...(report.notes.length > 0 ? { notes: report.notes } : {}),
  };
}
