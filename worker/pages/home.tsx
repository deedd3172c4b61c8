import type { AgentRecord } from "../host/record.js";
import type { StoredProfile } from "../profiles/index.js";
import { Layout, ScrollBox } from "./layout.js";
import { tally } from "../../protocol/index.js";

const MiB = 1024 * 1024;

/** `/`: hosted agents with state, version, limits, message counts and their last profile. */
export function HomePage(props: { agents: { record: AgentRecord; profile: StoredProfile | null }[] }) {
  return (
    <Layout title="Hosted agents">
      {props.agents.length === 0 ? (
        <p>
          No agents yet. Deploy one: <code>POST /v1/agents?name=NAME</code> with the module as the body.
        </p>
      ) : (
        <ScrollBox label="agents-caption">
          <table>
            <caption id="agents-caption">{`${props.agents.length} agent${props.agents.length === 1 ? "" : "s"}`}</caption>
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">State</th>
                <th scope="col">Version</th>
                <th scope="col">Limits</th>
                <th scope="col">Messages in / out</th>
                <th scope="col">Last profile</th>
              </tr>
            </thead>
            <tbody>
              {props.agents.map(({ record, profile }) => (
                <tr>
                  <th scope="row">
                    <a href={`/agents/${encodeURIComponent(record.name)}`}>{record.name}</a>
                  </th>
                  <td class={`state-${record.state}`}>
                    {record.state}
                    {record.termination_reason ? ` (${record.termination_reason})` : ""}
                  </td>
                  <td>{record.version}</td>
                  <td>{`${Math.round(record.limits.memory_bytes / MiB)} MiB, ${record.limits.fuel.toLocaleString("en")} fuel`}</td>
                  <td>{`${record.stats.messages_in} / ${record.stats.messages_out}`}</td>
                  <td>{profile ? <ProfileCell profile={profile} /> : <span class="muted">not run yet</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
    </Layout>
  );
}

function ProfileCell(props: { profile: StoredProfile }) {
  const { interoperable, claimed } = tally(props.profile.profile);
  return (
    <span>
      <img
        src={`/v1/badges/hosted/${encodeURIComponent(props.profile.profile.subject?.name ?? "")}/runtime.svg`}
        alt={`interop ${interoperable}/${claimed}`}
        height="20"
      />{" "}
      <span class="muted">{props.profile.stored_at.slice(0, 16).replace("T", " ")}</span>
    </span>
  );
}
