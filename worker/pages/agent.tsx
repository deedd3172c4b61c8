import type { LogLine } from "../host/logs.js";
import type { AgentRecord } from "../host/record.js";
import type { StoredProfile } from "../profiles/index.js";
import type { RunSummary } from "../registry/index.js";
import { tally } from "../../protocol/index.js";
import { Layout } from "./layout.js";
import { type ConversationView, ConversationSections } from "./conversations.js";

/** What the agent page shows. */
export type AgentPageData = {
  record: AgentRecord;
  history: StoredProfile[];
  runs: { id: string; suite: string; started_at: string; summary: RunSummary }[];
  /** The recent conversations, newest first, backchannel ones included (the page sets them apart). */
  conversations: ConversationView[];
  /** The newest lines of the agent's log (durable agents). */
  logs?: LogLine[];
};

/** `/agents/:name`: record, termination reason, profile history, runs, last conversations. */
export function AgentPage(props: AgentPageData) {
  const { record } = props;
  return (
    <Layout title={`Agent ${record.name}`}>
      <dl>
        <dt>State</dt>
        <dd class={`state-${record.state}`}>{record.state}</dd>
        {record.termination_reason ? (
          <>
            <dt>Termination reason</dt>
            <dd class="state-failed">
              {record.termination_reason}
              {record.termination_detail ? <pre>{record.termination_detail}</pre> : null}
            </dd>
          </>
        ) : null}
        <dt>Version</dt>
        <dd>{`${record.version} (module ${record.module.bytes} bytes, sha256 ${record.module.sha256.slice(0, 12)}…)`}</dd>
        <dt>Messages</dt>
        <dd>{`${record.stats.messages_in} in, ${record.stats.messages_out} out, ${record.stats.failures} failed, ${record.stats.mailbox_depth} waiting`}</dd>
      </dl>
      <ProfileHistory history={props.history} />
      <h2>Runs</h2>
      {props.runs.length === 0 ? (
        <p class="muted">No run yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Suite</th>
              <th scope="col">Junctions</th>
            </tr>
          </thead>
          <tbody>
            {props.runs.map((run) => (
              <tr>
                <td>
                  <a href={`/runs/${encodeURIComponent(run.id)}`}>{run.started_at.slice(0, 19).replace("T", " ")}</a>
                </td>
                <td>{run.suite}</td>
                <td>
                  <JunctionTally junctions={run.summary.junctions} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConversationSections conversations={props.conversations} />
      <AgentLogs name={record.name} logs={props.logs ?? []} />
    </Layout>
  );
}

/** The agent's newest log lines (`agent.log` and traps); the API pages through all of them. */
function AgentLogs(props: { name: string; logs: LogLine[] }) {
  return (
    <section aria-labelledby="logs">
      <h2 id="logs">Log</h2>
      {props.logs.length === 0 ? (
        <p class="muted">Nothing logged yet.</p>
      ) : (
        <pre class="agent-log">
          {props.logs.map((l) => `${l.at.slice(11, 23)} ${l.level.padEnd(5)} ${l.text}\n`).join("")}
        </pre>
      )}
      <p class="muted">{`All of it: GET /v1/agents/${props.name}/logs?level=&after=`}</p>
    </section>
  );
}

/** Interoperable junctions over time: a bar per stored profile, and the same as a table. */
function ProfileHistory(props: { history: StoredProfile[] }) {
  if (props.history.length === 0)
    return <p class="muted">No profile yet: run a suite against this agent (POST /v1/runs).</p>;
  const points = props.history.slice(-50).map((p) => ({ at: p.stored_at, ...tally(p.profile) }));
  const max = Math.max(1, ...points.map((p) => p.claimed));
  return (
    <section aria-labelledby="history">
      <h2 id="history">Profile history</h2>
      <svg role="img" aria-label="interoperable junctions per run" width={points.length * 14 + 10} height="64">
        {points.map((p, i) => (
          <rect
            x={5 + i * 14}
            y={60 - (p.interoperable / max) * 56}
            width="10"
            height={(p.interoperable / max) * 56 || 1}
            class="bar"
          >
            <title>{`${p.at}: ${p.interoperable}/${p.claimed} interoperable`}</title>
          </rect>
        ))}
      </svg>
      <table>
        <thead>
          <tr>
            <th scope="col">Stored</th>
            <th scope="col">Interoperable / claimed</th>
          </tr>
        </thead>
        <tbody>
          {points
            .slice(-10)
            .reverse()
            .map((p) => (
              <tr>
                <td>{p.at.slice(0, 19).replace("T", " ")}</td>
                <td>{`${p.interoperable}/${p.claimed}`}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}

/** A run's junctions in one line: how many scored what, each score in full in the title. */
function JunctionTally(props: { junctions: RunSummary["junctions"] }) {
  const count = (kind: string) => props.junctions.filter((j) => j.score.startsWith(kind)).length;
  return (
    <span title={props.junctions.map((j) => `${j.junction}: ${j.score}`).join("\n")}>
      {`${count("interoperable")} interoperable, ${count("constrained")} constrained, ${count("divergent")} divergent`}
    </span>
  );
}
