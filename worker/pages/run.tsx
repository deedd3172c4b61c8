import type { RunReport } from "../../harness/core/index.js";
import { Layout, scoreClass } from "./layout.js";

/** `/runs/:id`: one run's per-test results, with the failing expectation and the message received. */
export function RunPage(props: { id: string; agent: string; report: RunReport }) {
  const { report } = props;
  return (
    <Layout title={`Run of ${report.suite.id} ${report.suite.version} against ${props.agent}`}>
      <p>
        <a href={`/agents/${encodeURIComponent(props.agent)}`}>{props.agent}</a>
        {` · ${report.started_at.slice(0, 19).replace("T", " ")} · ${report.results.length} tests in ${report.ms} ms · ${report.channel} channel, ${report.backchannel} backchannel`}
      </p>
      <table>
        <caption>Junctions</caption>
        <thead>
          <tr>
            <th scope="col">Junction</th>
            <th scope="col">Score</th>
            <th scope="col">Passed</th>
          </tr>
        </thead>
        <tbody>
          {report.junctions.map((j) => (
            <tr>
              <th scope="row">{j.junction}</th>
              <td class={scoreClass(j.score)}>{j.score}</td>
              <td>{`${j.passed} of ${j.total}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table id="results">
        <caption>Tests</caption>
        <thead>
          <tr>
            <th scope="col">Test</th>
            <th scope="col">Status</th>
            <th scope="col">ms</th>
            <th scope="col">What went wrong</th>
          </tr>
        </thead>
        <tbody>
          {report.results.map((r) => (
            <tr data-status={r.status}>
              <th scope="row">
                {r.test}
                {r.essential ? " (essential)" : ""}
              </th>
              <td>{r.status}</td>
              <td>{r.ms}</td>
              <td>
                {r.failure ? (
                  <>
                    <p>{r.failure.message}</p>
                    {r.failure.expected !== undefined ? (
                      <details>
                        <summary>expected</summary>
                        <pre>{JSON.stringify(r.failure.expected, null, 2)}</pre>
                      </details>
                    ) : null}
                    {r.failure.received !== undefined ? (
                      <details>
                        <summary>received</summary>
                        <pre>{JSON.stringify(r.failure.received, null, 2)}</pre>
                      </details>
                    ) : null}
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
