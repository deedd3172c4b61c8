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
