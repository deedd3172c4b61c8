import { describe, expect, it } from "vitest";
import { diffProfiles } from "../../action/src/diff.js";
import type { InteropProfile } from "../../protocol/index.js";

const p = (profile: Record<string, string>): InteropProfile => ({ test_suite: "urn:agtest:suite:fipa:1.0.0", profile });

describe("change against the base", () => {
  it("orders divergent < constrained (by share passed) < interoperable", () => {
    const diff = diffProfiles(
      p({ a: "interoperable", b: "divergent", c: "constrained (3 of 5)", d: "constrained (4 of 5)", e: "interoperable" }),
      p({ a: "constrained (4 of 5)", b: "constrained (0 of 5)", c: "constrained (4 of 5)", d: "constrained (8 of 10)", e: "interoperable" }),
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
