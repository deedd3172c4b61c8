import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  InteropProfileSchema,
  SCORE_PATTERN,
  parseProfile,
  parseScore,
  scoreJunction,
  toProfile,
  type TestStatus,
} from "../../harness/core/index.js";
import type { RunReport } from "../../harness/core/index.js";

const SEED = 20_261_121;
const status = fc.constantFrom<TestStatus>("pass", "fail", "skip", "error");
const results = fc.array(fc.record({ status, essential: fc.boolean() }), { minLength: 1, maxLength: 30 });

describe("scoreJunction (ARCHITECTURE.md, Interop profile)", () => {
  it("every test passes -> interoperable", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1 }), (essentials) => {
        expect(scoreJunction(essentials.map((essential) => ({ status: "pass", essential })))).toBe("interoperable");
      }),
      { seed: SEED },
    );
  });

  it("every essential passes, some other does not -> constrained (passed of total)", () => {
    fc.assert(
      fc.property(results, (rs) => {
        const passed = rs.filter((r) => r.status === "pass").length;
        const essentialsPass = rs.every((r) => !r.essential || r.status === "pass");
        const score = scoreJunction(rs);
        if (passed === rs.length) expect(score).toBe("interoperable");
        else if (essentialsPass) expect(score).toBe(`constrained (${passed} of ${rs.length})`);
        else expect(score).toBe("divergent");
        expect(score).toMatch(SCORE_PATTERN);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("a failing essential test makes the junction divergent, whatever else passes", () => {
    fc.assert(
      fc.property(results, fc.constantFrom<TestStatus>("fail", "skip", "error"), (rs, bad) => {
        expect(scoreJunction([...rs, { status: bad, essential: true }])).toBe("divergent");
      }),
      { seed: SEED },
    );
  });

  it("skipped tests are not passed", () => {
    expect(
      scoreJunction([
        { status: "pass", essential: true },
        { status: "skip", essential: false },
      ]),
    ).toBe("constrained (1 of 2)");
  });
});

describe("SCORE_PATTERN", () => {
  it.each(["interoperable", "divergent", "constrained (4 of 5)", "constrained (0 of 13)", "constrained (12 of 130)"])(
    "accepts %s",
    (s) => {
      expect(s).toMatch(SCORE_PATTERN);
    },
  );

  // The HIPE's regex and the variants it meant to allow: bare constrained, missing spaces, extra text.
  it.each([
    "constrained",
    "constrained(4 of 5)",
    "constrained (4of5)",
    "constrained  (4 of 5)",
    "constrained (4 of 5, no crypto)",
    "Interoperable",
    " divergent",
    "interoperable\n",
    "constrained (-1 of 5)",
    "constrained (4 of )",
  ])("rejects %j", (s) => {
    expect(s).not.toMatch(SCORE_PATTERN);
  });

  it("parses into its parts", () => {
    expect(parseScore("constrained (4 of 5)")).toEqual({ kind: "constrained", passed: 4, total: 5 });
    expect(parseScore("divergent")).toEqual({ kind: "divergent" });
    expect(parseScore("constrained")).toBeUndefined();
  });
});

describe("the interop profile", () => {
  const report: RunReport = {
    suite: {
      id: "fipa",
      version: "1.0.0",
      uri: "urn:agtest:suite:fipa:1.0.0",
      digest: `sha256-${"ab".repeat(32)}`,
      title: "t",
    },
    subject: { name: "ping" },
    channel: "memory",
    backchannel: "none",
    started_at: "2026-11-21T10:00:00.000Z",
    ms: 12,
    junctions: [
      { junction: "core.passive", score: "constrained (4 of 5)", passed: 4, total: 5, essential_failures: [] },
      { junction: "core.active", score: "divergent", passed: 0, total: 1, essential_failures: ["core.active.x"] },
    ],
    not_run: [],
    results: [{ test: "core.passive.a", junction: "core.passive", status: "pass", ms: 1.2, essential: true }],
    notes: [],
  };

  it("has the suite URI, one score per junction that ran, digest, subject and results; it validates", () => {
    const profile = toProfile(report);
    expect(profile).toMatchObject({
      test_suite: "urn:agtest:suite:fipa:1.0.0",
      profile: { "core.passive": "constrained (4 of 5)", "core.active": "divergent" },
      suite_digest: report.suite.digest,
      subject: { name: "ping" },
      results: [{ test: "core.passive.a", status: "pass", ms: 1.2 }],
    });
    expect(parseProfile(JSON.parse(JSON.stringify(profile)))).toEqual(profile);
  });

  it("parses the ARCHITECTURE.md example and keeps extra keys", () => {
    const example = {
      test_suite: "urn:agtest:suite:fipa:1.0.0",
      profile: {
        "core.passive": "interoperable",
        "protocols.fipa-request.passive": "constrained (4 of 5)",
        "protocols.fipa-contract-net.active": "divergent",
      },
      suite_digest: `sha256-${"0".repeat(64)}`,
      subject: { name: "n", version: "v" },
      results: [{ test: "core.passive.reply-echoes-conversation-id", status: "pass", ms: 1.2 }],
      x_extra: true,
    };
    expect(parseProfile(example)).toEqual(example);
  });

  it.each([
    [{ "core.passive": "constrained" }, "profile.core.passive"],
    [{ "core.passive": "constrained (5 of 5)" }, "profile.core.passive"],
    [{ "Core Passive": "interoperable" }, "profile.Core Passive"],
  ])("rejects %j naming %s", (profile, key) => {
    const parsed = InteropProfileSchema.safeParse({ test_suite: "urn:x", profile });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.join(".")).toBe(key);
  });
});
