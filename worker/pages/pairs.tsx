import type { PairSummary } from "../registry/index.js";
import type { PostedPairReport } from "../routes/pairs.js";
import { Layout, ScrollBox } from "./layout.js";

type Matrix = PostedPairReport["protocols"][number];
type Outcome = Matrix["cells"][number]["outcome"];

const CLASS: Record<Outcome["verdict"], string> = {
  works: "score-interoperable",
  fails: "score-divergent",
  unsupported: "score-absent",
};

/** A cell's short text (`works`, `fails: after-done`, `unsupported`); the detail goes in its title. */
function cellText(outcome: Outcome): string {
  return outcome.verdict === "fails" ? `fails: ${outcome.rule ?? "?"}` : outcome.verdict;
}

/** `/pairs`: the stored `agtest pair` reports, newest first. */
export function PairsPage(props: { pairs: { id: string; stored_at: string; summary: PairSummary }[] }) {
  return (
    <Layout title="Who works with whom">
      <p>
        Reports of <code>agtest pair</code> (posted with <code>--post</code>, or by the action's <code>pair</code>{" "}
        input): every protocol scenario between every two agents, initiator × participant.
      </p>
      {props.pairs.length === 0 ? (
        <p>No pair report yet.</p>
      ) : (
        <ScrollBox label="pairs-list">
          <table>
            <caption id="pairs-list">Pair reports</caption>
            <thead>
              <tr>
                <th scope="col">stored</th>
                <th scope="col">agents</th>
                <th scope="col">works</th>
                <th scope="col">fails</th>
                <th scope="col">unsupported</th>
              </tr>
            </thead>
            <tbody>
              {props.pairs.map((p) => (
                <tr>
                  <td>
                    <a href={`/pairs/${encodeURIComponent(p.id)}`}>{p.stored_at.slice(0, 19).replace("T", " ")}</a>
                  </td>
                  <td>{p.summary.agents.join(", ")}</td>
                  <td>{p.summary.works}</td>
                  <td>{p.summary.fails}</td>
                  <td>{p.summary.unsupported}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
    </Layout>
  );
}

function MatrixTable(props: { matrix: Matrix; index: number }) {
  const { matrix, index } = props;
  const initiators = [...new Set(matrix.cells.map((c) => c.initiator))];
  const participants = [...new Set(matrix.cells.map((c) => c.participant))];
  const id = `pair-${index}`;
  const failures = matrix.cells.filter((c) => c.outcome.verdict === "fails");
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{`${matrix.protocol}: ${matrix.title}`}</h2>
      <p>{`works = ${matrix.expect}`}</p>
      <ScrollBox label={id}>
        <table>
          <caption id={id}>{`${matrix.protocol}: rows are initiators, columns participants`}</caption>
          <thead>
            <tr>
              <th scope="col">initiator \ participant</th>
              {participants.map((p) => (
                <th scope="col">{p}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {initiators.map((i) => (
              <tr>
                <th scope="row">{i}</th>
                {participants.map((p) => {
                  const cell = matrix.cells.find((c) => c.initiator === i && c.participant === p);
                  if (!cell) return <td>—</td>;
                  return (
                    <td class={CLASS[cell.outcome.verdict]} title={cell.outcome.detail ?? cell.outcome.verdict}>
                      {cellText(cell.outcome)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      {failures.length + matrix.unsupported.length === 0 ? null : (
        <ul>
          {failures.map((c) => (
            <li>{`${c.initiator} → ${c.participant}: ${c.outcome.rule ?? "?"}${c.outcome.by ? ` (${c.outcome.by})` : ""}: ${c.outcome.detail ?? ""}`}</li>
          ))}
          {matrix.unsupported.map((u) => (
            <li>{`unsupported: ${u.agent} as ${u.role}: ${u.why}`}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** `/pairs/:id`: one report, a matrix per protocol, failures with the rule broken, and the oracle's gaps. */
export function PairPage(props: { id: string; stored_at: string; report: PostedPairReport }) {
  const { report } = props;
  return (
    <Layout title={`Who works with whom: ${report.agents.map((a) => a.name).join(", ")}`}>
      <p>
        <a href="/pairs">All pair reports</a>
        {` · ${report.suite} · run ${report.started_at.slice(0, 19).replace("T", " ")} in ${report.duration_ms} ms`}
      </p>
      {report.protocols.map((matrix, index) => (
        <MatrixTable matrix={matrix} index={index} />
      ))}
      {report.oracle ? (
        <section aria-labelledby="oracle">
          <h2 id="oracle">Oracle cross-check</h2>
          {report.oracle.gaps.length === 0 ? (
            <p>{`No pair fails where both roles score interoperable (${report.oracle.profiles.length} profiles).`}</p>
          ) : (
            <ul>
              {report.oracle.gaps.map((g) => (
                <li>{g.note}</li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </Layout>
  );
}
