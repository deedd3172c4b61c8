import type { Exchange, PairReport } from "./types.js";

const ICON: Record<Exchange["verdict"], string> = { works: "✅", fails: "❌", unsupported: "➖" };

/** Escapes what would break a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The report as GitHub Markdown (the action's job summary): a table per protocol, then the failures. */
export function pairMarkdown(report: PairReport): string {
  const out = [`### agtest pair: ${report.agents.map((a) => a.name).join(", ")}`, ""];
  for (const m of report.protocols) {
    const initiators = [...new Set(m.cells.map((c) => c.initiator))];
    const participants = [...new Set(m.cells.map((c) => c.participant))];
    out.push(`#### ${m.protocol} — works = ${cell(m.expect)}`, "");
    out.push(`| initiator \\ participant | ${participants.map(cell).join(" | ")} |`);
    out.push(`|---|${participants.map(() => "---").join("|")}|`);
    for (const i of initiators) {
      const row = participants.map((p) => {
        const o = m.cells.find((c) => c.initiator === i && c.participant === p)?.outcome;
        if (!o) return "";
        return `${ICON[o.verdict]} ${o.verdict === "fails" ? cell(o.rule) : o.verdict}`;
      });
      out.push(`| ${cell(i)} | ${row.join(" | ")} |`);
    }
    out.push("");
    for (const c of m.cells)
      if (c.outcome.verdict === "fails")
        out.push(`- ${cell(c.initiator)} → ${cell(c.participant)}: **${c.outcome.rule}**: ${cell(c.outcome.detail)}`);
    for (const u of m.unsupported) out.push(`- unsupported: ${cell(u.agent)} as ${u.role}: ${cell(u.why)}`);
    out.push("");
  }
  for (const gap of report.oracle?.gaps ?? []) out.push(`- oracle: ${cell(gap.note)}`);
  return `${out.join("\n").trimEnd()}\n`;
}
