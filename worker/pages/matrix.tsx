import type { Suite } from "../../harness/core/index.js";
import type { MatrixRow } from "./data.js";
import { Layout, ScrollBox, scoreClass } from "./layout.js";
import { ScoreLegend, ScoreText } from "./score.js";

/** One column: a junction, `cluster.side`. */
export type MatrixJunction = { id: string; cluster: string; side: string; title: string };

/** One suite's columns. */
export type MatrixSuite = { id: string; uri: string; title: string; junctions: MatrixJunction[] };

/** A suite as the matrix needs it. */
export function matrixSuite(suite: Suite): MatrixSuite {
  return {
    id: suite.id,
    uri: suite.uri,
    title: suite.title,
    junctions: suite.junctions.map((j) => ({ id: j.id, cluster: j.cluster, side: j.side, title: j.title })),
  };
}

/**
 * The table scrolls inside its own box (a phone shows a few columns, not a page that scrolls
 * sideways); the header row and the agents' column stay in view while it does. `thead` itself is
 * sticky because the second header row's offset is unknown without script. Separate borders:
 * collapsed ones do not move with sticky cells.
 */
const MATRIX_CSS = `
.matrix-box{max-height:75vh;overflow:auto;border:1px solid var(--line);margin:.5rem 0 1rem}
#matrix{border-collapse:separate;border-spacing:0;margin:0}
#matrix caption{padding:.25rem .5rem}
#matrix th,#matrix td{border-width:0 1px 1px 0;font-size:.85rem;padding:.2rem .35rem}
#matrix thead{position:sticky;top:0;z-index:2}
#matrix thead th{background:var(--head);text-align:center;vertical-align:bottom}
#matrix .corner,#matrix tbody th{position:sticky;left:0;z-index:1;background:var(--head);text-align:left}
#matrix tbody th{min-width:8rem;max-width:12rem;font-weight:normal}
#matrix td{text-align:center}
#matrix .source{font-size:.75rem}
#matrix .n{white-space:nowrap}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;margin:0 0 .5rem;padding:0;font-size:.85rem}
.legend div{display:flex;gap:.5rem;align-items:baseline;max-width:36rem}
.legend dt{padding:0 .4rem;border:1px solid var(--line);white-space:nowrap}
.legend dd{margin:0}
section>h2#legend{font-size:.95rem;margin:.75rem 0 .25rem}
@media (max-width:40rem){#matrix tbody th{min-width:5.5rem;max-width:7rem}}
`;

/** `/matrix`: rows are agents, columns the junctions of a suite grouped by feature cluster, compact score cells. */
export function MatrixPage(props: { suites: MatrixSuite[]; suite: MatrixSuite; rows: MatrixRow[] }) {
  const { suite, rows } = props;
  const clusters = groupByCluster(suite.junctions);
  return (
    <Layout title={`Interop matrix: ${suite.title}`} css={MATRIX_CSS}>
      <form method="get" action="/matrix">
        <label>
          Suite{" "}
          <select name="suite">
            {props.suites.map((s) => (
              <option value={s.id} selected={s.id === suite.id}>
                {`${s.id} (${s.uri})`}
              </option>
            ))}
          </select>
        </label>{" "}
        <button type="submit">Show</button>
      </form>
      {rows.length === 0 ? (
        <p>
          No profile for this suite yet: run it (<code>POST /v1/runs</code>) or publish one from the GitHub Action.
        </p>
      ) : (
        <>
          {/* Above the table: the box is up to 75vh tall, a legend under it would start below the fold. */}
          <ScoreLegend />
          <ScrollBox label="matrix-caption" class="matrix-box">
            <table id="matrix">
              <caption id="matrix-caption">{`${rows.length} agent${rows.length === 1 ? "" : "s"} × ${suite.junctions.length} junctions`}</caption>
              <colgroup>
                <col />
              </colgroup>
              {clusters.map((c) => (
                <colgroup span={c.junctions.length} />
              ))}
              <thead>
                <tr>
                  <th scope="col" rowspan={2} class="corner">
                    Agent
                  </th>
                  {clusters.map((c) => (
                    <th scope="colgroup" colspan={c.junctions.length} title={c.title}>
                      {breakable(c.id)}
                    </th>
                  ))}
                </tr>
                <tr>
                  {suite.junctions.map((j) => (
                    <th scope="col" data-junction={j.id} title={j.id}>
                      <span class="vh">{`${j.cluster} `}</span>
                      {j.side}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr data-agent={row.label}>
                    <th scope="row">
                      {row.href ? <a href={row.href}>{row.label}</a> : row.label}
                      <br />
                      <span class="muted source">
                        {`${row.source}, `}
                        <span class="nowrap">{row.stored_at.slice(0, 10)}</span>
                      </span>
                    </th>
                    {suite.junctions.map((j) => {
                      const score = row.profile.profile[j.id];
                      return (
                        <td
                          class={scoreClass(score)}
                          data-junction={j.id}
                          data-score={score ?? ""}
                          title={`${j.id}: ${score ?? "not claimed"}`}
                        >
                          <ScoreText score={score} />
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
        </>
      )}
    </Layout>
  );
}

/** Consecutive junctions of one cluster, for the header's first row. */
function groupByCluster(junctions: MatrixJunction[]): { id: string; title: string; junctions: MatrixJunction[] }[] {
  const groups: { id: string; title: string; junctions: MatrixJunction[] }[] = [];
  for (const j of junctions) {
    const last = groups.at(-1);
    if (last && last.id === j.cluster) last.junctions.push(j);
    else groups.push({ id: j.cluster, title: j.title, junctions: [j] });
  }
  return groups;
}

/** A dotted id that may wrap after each dot (`protocols.` / `fipa-contract-net`). */
function breakable(id: string) {
  return id.split(".").map((part, i, all) => (i < all.length - 1 ? [`${part}.`, <wbr />] : part));
}
