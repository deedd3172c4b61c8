import { Hono } from "hono";
import type { RunReport } from "../../harness/core/index.js";
import { SUITES } from "../../suites/index.js";
import { type LoggedMessage, type Transcript, conversationOf } from "../conversation/index.js";
import type { Env } from "../env.js";
import { ApiError } from "../errors.js";
import type { LogLine } from "../host/logs.js";
import type { AgentRecord } from "../host/record.js";
import { hostOf } from "../hosts.js";
import { type StoredProfile, profilesOf } from "../profiles/index.js";
import { type StoredRun, registryOf } from "../registry/index.js";
import { HOSTED_OWNER, HOSTED_REF } from "../runs/execute.js";
import { AgentPage } from "./agent.js";
import { dashboardAuth } from "./auth.js";
import { hostedAgents, hostedProfile, matrixRows } from "./data.js";
import { HomePage } from "./home.js";
import { type MatrixSuite, MatrixPage } from "./matrix.js";
import { RunPage } from "./run.js";

const suites: MatrixSuite[] = Object.values(SUITES).map((s) => ({ id: s.id, uri: s.uri, title: s.title, junctions: s.junctions.map((j) => j.id) }));

/** The dashboard: server-rendered pages (Hono JSX), no script, behind the runtime's tokens. */
export const pages = new Hono<{ Bindings: Env }>()
  // Paths named one by one: a wildcard here would cover the API's routes too once mounted at "/".
  .use("/", dashboardAuth())
  .use("/matrix", dashboardAuth())
  .use("/agents/*", dashboardAuth())
  .use("/runs/*", dashboardAuth())
  .get("/", async (c) => {
    const agents = await hostedAgents(c.env);
    const rows = await Promise.all(agents.map(async (record) => ({ record, profile: await hostedProfile(c.env, record.name) })));
    return c.html(<HomePage agents={rows} />);
  })
  .get("/matrix", async (c) => {
    const suite = suites.find((s) => s.id === (c.req.query("suite") ?? "fipa")) ?? suites[0];
    if (!suite) throw new ApiError(404, "NOT_FOUND", "no suite");
    return c.html(<MatrixPage suites={suites} suite={suite} rows={await matrixRows(c.env, suite.uri)} />);
  })
  .get("/agents/:name", async (c) => {
    const name = c.req.param("name");
    const host = hostOf(c.env, name);
    const result = (await host.record()) as { ok: boolean; value?: AgentRecord };
    if (!result.ok || !result.value) throw new ApiError(404, "AGENT_NOT_FOUND", `no agent named \`${name}\``);
    const ids = ((await host.recentConversations()) as string[]).slice(0, 5);
    const transcripts = await Promise.all(ids.map(async (id) => (await conversationOf(c.env, id).transcript()) as Transcript | null));
    const conversations = transcripts.flatMap((t) => (t ? [{ id: t.conversation_id, messages: t.messages.slice(-30) as LoggedMessage[] }] : []));
    const history = (await profilesOf(c.env, HOSTED_OWNER, name).history(HOSTED_REF)) as StoredProfile[];
    const runs = await registryOf(c.env).runs(name);
    const logs = (await host.recentLogs()) as LogLine[];
    return c.html(<AgentPage record={result.value} history={history} runs={runs} conversations={conversations} logs={logs} />);
  })
  .get("/runs/:id", async (c) => {
    const run = (await registryOf(c.env).run(c.req.param("id"))) as StoredRun | null;
    if (!run) throw new ApiError(404, "NOT_FOUND", `no run \`${c.req.param("id")}\``);
    return c.html(<RunPage id={run.id} agent={run.agent} report={run.report as RunReport} />);
  });
