import type { Gate } from "../../../harness/core/compare.js";

/**
 * What the policy decided, for the comment and the summary: the junctions that fail it, and the
 * known divergences with their reasons (those that pass now marked as removable).
 */
export function gateSection(result: Gate | undefined): string[] {
  if (result === undefined) return [];
  const lines: string[] = [];
  if (result.failOn === "regression") {
    lines.push(
      result.tripped
        ? `**Gate (\`fail-on: regression\`):** ❌ ${result.failures.length} regression${result.failures.length === 1 ? "" : "s"}: ${result.failures.map((f) => `\`${f.junction}\` (${f.why}, now ${f.score})`).join(", ")}`
        : `**Gate (\`fail-on: regression\`):** ✅ no regression${result.base ? " against the base" : " (no base to compare with)"}`,
    );
  }
  const known = result.known;
  if (known.length > 0) {
    const status = { expected: "known", resolved: "🧹 passes now: can be removed", "not-run": "not run" } as const;
    lines.push(
      ...(lines.length ? [""] : []),
      "<details><summary>Known divergences (never fail the step)</summary>",
      "",
      "| id | reason | status |",
      "|---|---|---|",
      ...known.map((k) => `| \`${k.id}\` | ${k.reason.replace(/[|\n]/g, " ")} | ${status[k.status]} |`),
      "",
      "</details>",
    );
  }
  return lines.length ? ["", ...lines] : [];
}
