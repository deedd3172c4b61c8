import * as z from "zod";

/**
 * Interop profiles and scores: the format agents, the harness, the runtime's profile store and the
 * GitHub Action share.
 *
 * @see https://github.com/hyperledger/indy-hipe/tree/main/text/0015-agent-test-suite-interface HIPE 0015
 */

/**
 * Interop scores (HIPE 0015, corrected as ARCHITECTURE.md says: the HIPE's own regex rejects every
 * `constrained` value, so agtest uses this one).
 */
export const SCORE_PATTERN = /^(interoperable|divergent|constrained \((\d+) of (\d+)\))$/;

/** One junction's score: `interoperable`, `divergent` or `constrained (N of M)`. */
export type Score = "interoperable" | "divergent" | `constrained (${number} of ${number})`;

/** A test outcome as scoring sees it. */
export type TestStatus = "pass" | "fail" | "skip" | "error";

/** A score taken apart. */
export type ParsedScore =
  | { kind: "interoperable" | "divergent" }
  | { kind: "constrained"; passed: number; total: number };

/** Whether `value` is a valid score. */
export function isScore(value: unknown): value is Score {
  return typeof value === "string" && SCORE_PATTERN.test(value);
}

/** Parses a score; `undefined` when `value` is not one. */
export function parseScore(value: string): ParsedScore | undefined {
  const m = SCORE_PATTERN.exec(value);
  if (m === null) return undefined;
  if (m[2] === undefined || m[3] === undefined) return { kind: m[1] as "interoperable" | "divergent" };
  return { kind: "constrained", passed: Number(m[2]), total: Number(m[3]) };
}

/**
 * Scores one junction from its tests' outcomes: every test passes -> `interoperable`; every
 * essential test passes but some other does not -> `constrained (passed of total)`; otherwise
 * `divergent`. A test passes only with status `pass`: a skipped test proves nothing.
 */
export function scoreJunction(results: readonly { status: TestStatus; essential: boolean }[]): Score {
  const passed = results.filter((r) => r.status === "pass").length;
  if (passed === results.length) return "interoperable";
  if (results.every((r) => !r.essential || r.status === "pass")) return `constrained (${passed} of ${results.length})`;
  return "divergent";
}

const score = z
  .string()
  .regex(SCORE_PATTERN, 'expected "interoperable", "divergent" or "constrained (N of M)"')
  .refine((s) => {
    const parsed = parseScore(s);
    return parsed?.kind !== "constrained" || parsed.passed < parsed.total;
  }, "a constrained score passes fewer tests than it has (N < M)");

const failure = z.looseObject({
  message: z.string(),
  expected: z.unknown().optional(),
  received: z.unknown().optional(),
});

/**
 * An interop profile (HIPE 0015 "Interop Profile JSON", as ARCHITECTURE.md fixes it): the suite
 * URI, one score per junction that was claimed and run, and extra keys (digest, subject, per-test
 * results). Extra keys are kept, so profiles written by newer versions still parse.
 */
export const InteropProfileSchema = z.looseObject({
  test_suite: z.string().min(1),
  profile: z.record(
    z.string().regex(/^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$/, "expected a dotted junction id"),
    score,
  ),
  suite_digest: z
    .string()
    .regex(/^sha256-[0-9a-f]{64}$/, "expected sha256- and 64 hex digits")
    .optional(),
  subject: z
    .looseObject({ name: z.string(), version: z.string().optional(), digest: z.string().optional() })
    .optional(),
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
