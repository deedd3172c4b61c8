import { parseScore } from "../../protocol/index.js";

/** How a score looks in a compact cell: an icon, a short text, and the full score for tooltips and screen readers. */
export type CompactScore = {
  kind: "interoperable" | "constrained" | "divergent" | "absent";
  icon: string;
  short: string;
  full: string;
};

/** The words the legend and the tooltips use for a junction with no score. */
const ABSENT = "not claimed";

/**
 * A score in a few characters, so twelve junctions fit a laptop screen: `✓ ok`, `◐ 12 of 13`,
 * `✗ no`, or `—` when the profile has no score for the junction (HIPE 0015: a profile scores only
 * the junctions that were claimed and run).
 */
export function compactScore(score: string | undefined): CompactScore {
  const parsed = score === undefined ? undefined : parseScore(score);
  if (score === undefined || parsed === undefined)
    return { kind: "absent", icon: "—", short: "", full: score ?? ABSENT };
  if (parsed.kind === "constrained")
    return { kind: "constrained", icon: "◐", short: `${parsed.passed} of ${parsed.total}`, full: score };
  if (parsed.kind === "interoperable") return { kind: "interoperable", icon: "✓", short: "ok", full: score };
  return { kind: "divergent", icon: "✗", short: "no", full: score };
}

/**
 * The compact text of a score. What is seen is hidden from screen readers, which read the full
 * score instead (a `title` alone reaches neither touch screens nor most screen readers).
 */
export function ScoreText(props: { score: string | undefined }) {
  const s = compactScore(props.score);
  return (
    <>
      <span aria-hidden="true" class="compact">
        <span class={`icon-${s.kind}`}>{s.icon}</span>
        {/* The line may break after the icon, never inside "118 of 120". */}
        {s.short ? (
          <>
            {" "}
            <span class="n">{s.short}</span>
          </>
        ) : null}
      </span>
      <span class="vh">{s.full}</span>
    </>
  );
}

/** What the compact cells mean, in full words. */
export function ScoreLegend() {
  const rows: [string | undefined, string][] = [
    ["interoperable", "every test of the junction passed"],
    ["constrained (12 of 13)", "every essential test passed, N of M tests in all"],
    ["divergent", "an essential test failed"],
    [
      undefined,
      "no score: the junction was not claimed, or could not run (edge runs leave out transports.*, which need a URL the agent can reach)",
    ],
  ];
  return (
    <section aria-labelledby="legend">
      <h2 id="legend">What the cells mean</h2>
      <dl class="legend">
        {rows.map(([score, meaning]) => {
          const s = compactScore(score);
          return (
            <div>
              <dt class={`score-${s.kind}`}>
                <span class={`icon-${s.kind}`}>{s.icon}</span>
                {s.short ? ` ${s.kind === "constrained" ? "N of M" : s.short}` : ""}
              </dt>
              <dd>
                <strong>{s.kind === "absent" ? ABSENT : s.kind}</strong>
                {`: ${meaning}`}
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
