import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import {
  InteropProfileSchema,
  SCORE_PATTERN,
  type TestStatus,
  isScore,
  parseProfile,
  parseScore,
  scoreJunction,
} from "../../protocol/profile.js";

/**
 * Fuzzing the interop profile parser and the scorer (fast-check, fixed seeds): any JSON value is
 * a profile or a ZodError naming the key, in bounded time; every score the scorer gives is one
 * the parser accepts.
 */

function judged(value: unknown): ReturnType<typeof parseProfile> | ZodError {
  const t0 = performance.now();
  try {
    return parseProfile(value);
  } catch (error) {
    if (error instanceof ZodError) return error;
    throw new Error(`not a ZodError: ${String(error)}`, { cause: error });
  } finally {
    expect(performance.now() - t0).toBeLessThan(2000);
  }
}

/** Mostly `good`, sometimes `bad`: enough valid profiles that the property is not vacuous. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: bad, weight: 1 });

const junction = mostly(
  fc.constantFrom("core.passive", "protocols.fipa-request.active", "a", "x.y-z.w2"),
  fc.string({ maxLength: 20 }),
);
const score = mostly(
  fc.oneof(
    fc.constantFrom("interoperable", "divergent"),
    fc.tuple(fc.nat(50), fc.nat(50)).map(([a, b]) => `constrained (${Math.min(a, b)} of ${Math.max(a, b) + 1})`),
  ),
  fc.oneof(
    fc.constantFrom(
      "constrained (2 of 2)",
      "constrained (0 of 0)",
      "constrained (-1 of 2)",
      "constrained (1 of 2) ",
      "Interoperable",
      "",
    ),
    fc.tuple(fc.nat(50), fc.nat(50)).map(([a, b]) => `constrained (${a} of ${b})`),
    fc.string({ maxLength: 20 }),
  ),
);
const result = fc.record(
  {
    test: mostly(fc.string({ maxLength: 20 }), fc.integer()),
    status: mostly(fc.constantFrom("pass", "fail", "skip", "error"), fc.string({ maxLength: 5 })),
    ms: mostly(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.oneof(fc.constant(-1), fc.constant("1"))),
    junction: mostly(fc.string({ maxLength: 10 }), fc.nat()),
    essential: mostly(fc.boolean(), fc.constant("yes")),
    failure: mostly(
      fc.record({ message: fc.string(), expected: fc.jsonValue({ maxDepth: 1 }) }),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  },
  { requiredKeys: ["test", "status", "ms"] },
);
/** Things shaped like profiles, with every part possibly wrong. */
const profileish = fc.record(
  {
    test_suite: mostly(
      fc.constantFrom("urn:agtest:suite:fipa:1.0.0", "s"),
      fc.oneof(fc.constant(""), fc.jsonValue({ maxDepth: 1 })),
    ),
    profile: mostly(fc.dictionary(junction, score, { maxKeys: 4 }), fc.jsonValue({ maxDepth: 2 })),
    suite_digest: mostly(fc.constant(`sha256-${"ab".repeat(32)}`), fc.string({ maxLength: 70 })),
    subject: mostly(
      fc.record({ name: fc.string(), version: fc.string() }, { requiredKeys: ["name"] }),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    results: mostly(fc.array(result, { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 })),
    extra: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: ["test_suite", "profile"] },
);

describe("fuzz: the interop profile parser (protocol/profile.ts parseProfile)", () => {
  it("any JSON value: a profile or a ZodError", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => void judged(value)),
      { seed: 42, numRuns: 1000 },
    );
  });

  it("profile-shaped values: a profile that re-parses unchanged, or a ZodError naming where it went wrong", () => {
    let accepted = 0;
    fc.assert(
      fc.property(profileish, (value) => {
        const parsed = judged(JSON.parse(JSON.stringify(value)));
        if (parsed instanceof ZodError) {
          expect(parsed.issues.length).toBeGreaterThan(0);
          return;
        }
        accepted++;
        expect(parseProfile(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
        for (const s of Object.values(parsed.profile)) expect(s).toMatch(SCORE_PATTERN);
      }),
      { seed: 42, numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(20); // not vacuous
  });

  it("large and deep inputs are judged in bounded time", () => {
    const many = {
      test_suite: "s",
      profile: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`j${i}.passive`, "interoperable"])),
    };
    expect(judged(many)).not.toBeInstanceOf(ZodError);
    const results = {
      test_suite: "s",
      profile: {},
      results: Array.from({ length: 50_000 }, (_, i) => ({ test: `t${i}`, status: "pass", ms: 1 })),
    };
    expect(judged(results)).not.toBeInstanceOf(ZodError);
    let deep: unknown = "interoperable";
    for (let i = 0; i < 5000; i++) deep = { x: deep };
    expect(judged({ test_suite: "s", profile: {}, subject: { name: "n", extra: deep } })).not.toBeInstanceOf(ZodError);
    expect(judged({ test_suite: "s", profile: deep })).toBeInstanceOf(ZodError);
  });
});

describe("fuzz: the scorer agrees with the parser", () => {
  const status = fc.constantFrom<TestStatus>("pass", "fail", "skip", "error");
  it("every score scoreJunction gives is a valid score the profile schema accepts, and parseScore reads it back", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ status, essential: fc.boolean() }), { maxLength: 40 }), (results) => {
        const s = scoreJunction(results);
        expect(isScore(s)).toBe(true);
        expect(InteropProfileSchema.safeParse({ test_suite: "t", profile: { "a.b": s } }).success).toBe(true);
        const parsed = parseScore(s);
        if (parsed?.kind === "constrained") {
          expect(parsed.total).toBe(results.length);
          expect(parsed.passed).toBe(results.filter((r) => r.status === "pass").length);
        }
      }),
      { seed: 42, numRuns: 1000 },
    );
  });

  it("parseScore and isScore agree on any string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), score), (s) => {
        expect(parseScore(s) !== undefined).toBe(isScore(s));
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});
