import { describe, expect, it } from "vitest";
import { diffProfiles } from "../../harness/core/compare.js";
import type { InteropProfile } from "../../protocol/index.js";

const p = (profile: Record<string, string>): InteropProfile => ({ test_suite: "urn:agtest:suite:fipa:1.0.0", profile });

describe("change against the base", () => {
  it("orders divergent < constrained (by share passed) < interoperable", () => {
    const diff = diffProfiles(
      p({
        a: "interoperable",
        b: "divergent",
        c: "constrained (3 of 5)",
        d: "constrained (4 of 5)",
        e: "interoperable",
      }),
      p({
        a: "constrained (4 of 5)",
        b: "constrained (0 of 5)",
        c: "constrained (4 of 5)",
        d: "constrained (8 of 10)",
        e: "interoperable",
      }),
    );
    expect(diff.changes).toEqual([
      { junction: "a", base: "interoperable", now: "constrained (4 of 5)", kind: "regressed" },
      { junction: "b", base: "divergent", now: "constrained (0 of 5)", kind: "improved" },
      { junction: "c", base: "constrained (3 of 5)", now: "constrained (4 of 5)", kind: "improved" },
      { junction: "d", base: "constrained (4 of 5)", now: "constrained (8 of 10)", kind: "changed" },
    ]);
    expect(diff.unchanged).toBe(1);
  });

  it("an absent junction counts as divergent: dropping a passing one regresses, dropping a divergent one does not", () => {
    const diff = diffProfiles(p({ a: "interoperable", b: "divergent" }), p({ c: "interoperable", d: "divergent" }));
    expect(diff.changes).toEqual([
      { junction: "a", base: "interoperable", now: undefined, kind: "regressed" },
      { junction: "c", base: undefined, now: "interoperable", kind: "improved" },
    ]);
    expect(diff.unchanged).toBe(2);
  });
});

import { gate, gateLines } from "../../harness/core/compare.js";
import type { RunReport, TestResult } from "../../harness/core/index.js";

/** A run of three junctions: `core.passive` interoperable, `core.active` divergent, one constrained. */
function run(overrides: Partial<RunReport> = {}): RunReport {
  const r = (test: string, status: TestResult["status"], essential = false): TestResult => ({
    test,
    junction: test.split(".").slice(0, -1).join("."),
    status,
    ms: 1,
    essential,
  });
  return {
    suite: { id: "fipa", version: "1.1.0", uri: "urn:agtest:suite:fipa:1.1.0", digest: "sha256-x", title: "FIPA" },
    subject: { name: "ping" },
    channel: "embedded",
    backchannel: "message",
    started_at: "2026-12-01T00:00:00.000Z",
    ms: 10,
    junctions: [
      { junction: "core.passive", score: "interoperable", passed: 2, total: 2, essential_failures: [] },
      { junction: "core.active", score: "divergent", passed: 0, total: 1, essential_failures: ["core.active.sends"] },
      {
        junction: "protocols.fipa-query.passive",
        score: "constrained (1 of 2)",
        passed: 1,
        total: 2,
        essential_failures: [],
      },
    ],
    not_run: [],
    results: [
      r("core.passive.a", "pass", true),
      r("core.passive.b", "pass"),
      r("core.active.sends", "fail", true),
      r("protocols.fipa-query.passive.answers-query-ref", "pass", true),
      r("protocols.fipa-query.passive.answers-query-if", "fail"),
    ],
    notes: [],
    ...overrides,
  };
}

describe("the gate (--fail-on, known divergences)", () => {
  it("divergent: trips on a divergent junction and on a claimed one that did not run; constrained also on constrained; never: never", () => {
    const notRun = run({ not_run: [{ junction: "transports.http.passive", reason: "no endpoint" }] });
    expect(gate(notRun, { failOn: "divergent" }).failures.map((f) => f.junction)).toEqual([
      "core.active",
      "transports.http.passive",
    ]);
    expect(gate(notRun, { failOn: "constrained" }).failures.map((f) => f.junction)).toEqual([
      "core.active",
      "protocols.fipa-query.passive",
      "transports.http.passive",
    ]);
    expect(gate(notRun, { failOn: "never" }).tripped).toBe(false);
  });

  it("regression: an unchanged constrained or divergent junction passes; one that scores worse than the base fails; a junction new to the base does not", () => {
    const base = p({ "core.active": "divergent", "protocols.fipa-query.passive": "constrained (1 of 2)" });
    expect(gate(run(), { failOn: "regression", base })).toMatchObject({ tripped: false, failures: [] });
    const worse = p({
      "core.passive": "interoperable",
      "core.active": "divergent",
      "protocols.fipa-query.passive": "interoperable",
    });
    const result = gate(run(), { failOn: "regression", base: worse });
    expect(result.failures).toEqual([
      { junction: "protocols.fipa-query.passive", score: "constrained (1 of 2)", why: "was interoperable" },
    ]);
    expect(gateLines(result)).toEqual([
      "fails --fail-on regression: protocols.fipa-query.passive (constrained (1 of 2); was interoperable)",
    ]);
    // A junction claimed in the base that did not run this time regressed.
    const dropped = run({ not_run: [{ junction: "transports.http.passive", reason: "no endpoint" }] });
    expect(
      gate(dropped, { failOn: "regression", base: p({ "transports.http.passive": "interoperable" }) }).failures.map(
        (f) => f.junction,
      ),
    ).toEqual(["transports.http.passive"]);
  });

  it("regression with no base: nothing can have regressed, and it says so", () => {
    const result = gate(run(), { failOn: "regression" });
    expect(result.tripped).toBe(false);
    expect(gateLines(result)[0]).toMatch(/no base profile/);
  });

  it("known: a known junction or a junction whose every failing test is known never trips; entries that pass now can be removed", () => {
    const known = {
      "core.active": "waiting on the backchannel",
      "protocols.fipa-query.passive.answers-query-if": "query-if is next sprint",
      "core.passive": "flaky last week",
      "metadata.passive": "not claimed",
    };
    const result = gate(run(), { failOn: "constrained", known });
    expect(result.tripped).toBe(false);
    expect(result.known).toEqual([
      { id: "core.active", reason: "waiting on the backchannel", kind: "junction", status: "expected" },
      {
        id: "protocols.fipa-query.passive.answers-query-if",
        reason: "query-if is next sprint",
        kind: "test",
        status: "expected",
      },
      { id: "core.passive", reason: "flaky last week", kind: "junction", status: "resolved" },
      { id: "metadata.passive", reason: "not claimed", kind: "junction", status: "not-run" },
    ]);
    expect(gateLines(result)).toContain(
      'known, but passes now (can be removed from "known"): core.passive — flaky last week',
    );
    // Knowing one test does not excuse another failing test of the same junction.
    expect(
      gate(run(), { failOn: "divergent", known: { "core.active.other": "x" } }).failures.map((f) => f.junction),
    ).toEqual(["core.active"]);
  });
});
