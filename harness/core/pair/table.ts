import type { Exchange, PairReport, ProtocolMatrix } from "./types.js";

/** A cell in one short word or two: `works`, `fails: after-done`, `unsupported`. */
export function cellText(outcome: Exchange): string {
  if (outcome.verdict === "fails") return `fails: ${outcome.rule}`;
  return outcome.verdict;
}

function grid(matrix: ProtocolMatrix): string[] {
  const initiators = [...new Set(matrix.cells.map((c) => c.initiator))];
  const participants = [...new Set(matrix.cells.map((c) => c.participant))];
  const corner = "initiator \\ participant";
  const rows = [
    [corner, ...participants],
    ...initiators.map((i) => [
      i,
      ...participants.map((p) => {
        const cell = matrix.cells.find((c) => c.initiator === i && c.participant === p);
        return cell ? cellText(cell.outcome) : "";
      }),
    ]),
  ];
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? "").length))) ?? [];
  const line = (r: string[]) =>
    r
      .map((v, col) => v.padEnd(widths[col] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(rows[0] ?? []), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)];
}

/** The report for people: a grid per protocol, then each failure with the rule and the message that broke it. */
export function pairTable(report: PairReport): string {
  const out: string[] = [`agtest pair — ${report.suite} — ${report.agents.map((a) => a.name).join(", ")}`, ""];
  for (const matrix of report.protocols) {
    out.push(`${matrix.protocol} (${matrix.title}); works = ${matrix.expect}`, ...grid(matrix), "");
    for (const u of matrix.unsupported) out.push(`  unsupported: ${u.agent} as ${u.role}: ${u.why}`);
    for (const cell of matrix.cells) {
      const { outcome } = cell;
      if (outcome.verdict !== "fails") continue;
      const by = outcome.by ? ` (${outcome.by})` : "";
      out.push(`  ${cell.initiator} -> ${cell.participant}: ${outcome.rule}${by}: ${outcome.detail}`);
    }
    if (matrix.unsupported.length > 0 || matrix.cells.some((c) => c.outcome.verdict === "fails")) out.push("");
  }
  if (report.oracle) {
    const { gaps, profiles } = report.oracle;
    out.push(
      `oracle (${profiles.length} profile(s)): ${gaps.length === 0 ? "no pair fails where both roles score interoperable" : `${gaps.length} gap(s)`}`,
    );
    for (const gap of gaps) out.push(`  ${gap.protocol}: ${gap.initiator} -> ${gap.participant}: ${gap.note}`);
    out.push("");
  }
  for (const note of report.notes) out.push(`note: ${note}`);
  const counts = { works: 0, fails: 0, unsupported: 0 };
  for (const m of report.protocols) for (const c of m.cells) counts[c.outcome.verdict]++;
  out.push(`${counts.works} work, ${counts.fails} fail, ${counts.unsupported} unsupported (${report.duration_ms} ms)`);
  return `${out.join("\n")}\n`;
}
