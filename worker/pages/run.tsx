import type { RunReport, TestResult } from "../../harness/core/index.js";
import { Layout, ScrollBox, scoreClass } from "./layout.js";
import { ScoreText } from "./score.js";

/** Failed tests first (what a reader came for), then errors, skips, passes; suite order within each. */
const ORDER: Record<string, number> = { fail: 0, error: 1, skip: 2, pass: 3 };

/** The fragment of a test's row: test ids are dotted words, kept readable in the URL. */
export function testAnchor(test: string): string {
  return `test-${test.replace(/[^A-Za-z0-9._-]/g, "-")}`;
}

const RUN_CSS = `
.failures li{margin:.15rem 0}
tr[data-status=fail] td:nth-child(2),tr[data-status=error] td:nth-child(2){color:var(--bad);font-weight:600}
tr:target{outline:2px solid var(--link);outline-offset:-2px}
`;

/** `/runs/:id`: failures first, linked to their rows; then the junctions and every test with what went wrong. */
export function RunPage(props: { id: string; agent: string; report: RunReport }) {
  const { report } = props;
  const failed = report.results.filter((r) => r.status === "fail" || r.status === "error");
  const sorted = report.results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (ORDER[a.r.status] ?? 9) - (ORDER[b.r.status] ?? 9) || a.i - b.i);
  return (
    <Layout title={`Run of ${report.suite.id} ${report.suite.version} against ${props.agent}`} css={RUN_CSS}>
      <p>
        <a href={`/agents/${encodeURIComponent(props.agent)}`}>{props.agent}</a>
        {` · ${report.started_at.slice(0, 19).replace("T", " ")} · ${report.results.length} tests in ${report.ms} ms · ${report.channel} channel, ${report.backchannel} backchannel`}
      </p>
      <section aria-labelledby="failures">
        <h2 id="failures">
          {failed.length === 0 ? "No failures" : `${failed.length} of ${report.results.length} tests did not pass`}
        </h2>
        {failed.length === 0 ? null : (
          <ul class="failures">
            {failed.map((r) => (
              <li>
                <a href={`#${testAnchor(r.test)}`}>{r.test}</a>
                {r.essential ? " (essential)" : ""}
                {r.failure ? `: ${firstLine(r.failure.message)}` : ` (${r.status})`}
              </li>
            ))}
          </ul>
        )}
      </section>
      {report.notes.length + report.not_run.length > 0 ? (
        <section aria-labelledby="notes">
          <h2 id="notes">Notes</h2>
          <ul>
            {report.not_run.map((n) => (
              <li>{`${n.junction} did not run: ${n.reason}`}</li>
            ))}
            {report.notes.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2 id="junctions">Junctions</h2>
      <ScrollBox label="junctions">
        <table aria-labelledby="junctions">
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
                <td class={scoreClass(j.score)} title={j.score}>
                  <ScoreText score={j.score} />
                </td>
                <td>{`${j.passed} of ${j.total}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      <h2 id="tests">Tests</h2>
      <ScrollBox label="tests">
        <table id="results" aria-labelledby="tests">
          <thead>
            <tr>
              <th scope="col">Test</th>
              <th scope="col">Status</th>
              <th scope="col">ms</th>
              <th scope="col">What went wrong</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map(({ r }) => (
              <ResultRow result={r} />
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </Layout>
  );
}

function ResultRow(props: { result: TestResult }) {
  const r = props.result;
  return (
    <tr id={testAnchor(r.test)} data-status={r.status}>
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
        {(r.notes ?? []).map((n) => (
          <p class="muted">{n}</p>
        ))}
      </td>
    </tr>
  );
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}
