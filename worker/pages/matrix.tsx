import { parseScore } from "../../protocol/index.js";
import type { MatrixRow } from "./data.js";
import { Layout, scoreClass } from "./layout.js";

/** One suite's columns. */
export type MatrixSuite = { id: string; uri: string; title: string; junctions: string[] };

/** `/matrix`: rows are agents, columns the junctions of a suite, cells coloured by score. */
export function MatrixPage(props: { suites: MatrixSuite[]; suite: MatrixSuite; rows: MatrixRow[] }) {
  const { suite, rows } = props;
  return (
    <Layout title={`Interop matrix: ${suite.title}`}>
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
        <p>No profile for this suite yet: run it (<code>POST /v1/runs</code>) or publish one from the GitHub Action.</p>
      ) : (
        <table id="matrix">
          <caption>{`${rows.length} agent${rows.length === 1 ? "" : "s"} × ${suite.junctions.length} junctions (absent = not claimed or not run: divergent)`}</caption>
          <thead>
            <tr>
              <th scope="col">Agent</th>
              {suite.junctions.map((j) => (
                <th scope="col">{j}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr data-agent={row.label}>
                <th scope="row">
                  {row.href ? <a href={row.href}>{row.label}</a> : row.label}
                  <br />
                  <span class="muted">{`${row.source}, ${row.stored_at.slice(0, 10)}`}</span>
                </th>
                {suite.junctions.map((j) => {
                  const score = row.profile.profile[j];
                  return (
                    <td class={scoreClass(score)} data-junction={j} data-score={score ?? ""}>
                      {cellText(score)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

function cellText(score: string | undefined): string {
  if (score === undefined) return "—";
  const parsed = parseScore(score);
  return parsed?.kind === "constrained" ? `${parsed.passed} of ${parsed.total}` : score;
}
