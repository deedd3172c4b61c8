import { Hono } from "hono";
import { SUITES } from "../../suites/index.js";
import type { Env } from "../env.js";
import { HOSTED_OWNER, HOSTED_REF } from "../runs/execute.js";
import { AgentPage } from "./agent.js";
import { dashboardAuth } from "./auth.js";
import { agentConversations, hostedAgents, hostedProfile, matrixRows } from "./data.js";
import { HomePage } from "./home.js";
import { MatrixPage, matrixSuite } from "./matrix.js";
import { NotFoundPage } from "./not-found.js";
import { PairPage, PairsPage } from "./pairs.js";
import { RunPage } from "./run.js";
import type { PostedPairReport } from "../routes/pairs.js";
import { hostOf, profilesOf, registryOf } from "../stubs.js";

const suites = Object.values(SUITES).map(matrixSuite);

/** The dashboard: server-rendered pages (Hono JSX), no script, behind the runtime's tokens. */
export const pages = new Hono<{ Bindings: Env }>()
  // Paths named one by one: a wildcard here would cover the API's routes too once mounted at "/".
  .use("/", dashboardAuth())
  .use("/matrix", dashboardAuth())
  .use("/agents/*", dashboardAuth())
  .use("/runs/*", dashboardAuth())
  .use("/pairs", dashboardAuth())
  .use("/pairs/*", dashboardAuth())
  .get("/", async (c) => {
    const agents = await hostedAgents(c.env);
    const rows = await Promise.all(
      agents.map(async (record) => ({ record, profile: await hostedProfile(c.env, record.name) })),
    );
    return c.html(<HomePage agents={rows} />);
  })
  .get("/matrix", async (c) => {
    const id = c.req.query("suite") ?? "fipa";
    const suite = suites.find((s) => s.id === id);
    if (!suite)
      return c.html(<NotFoundPage what={`No suite \`${id}\` (known: ${suites.map((s) => s.id).join(", ")}).`} />, 404);
    return c.html(<MatrixPage suites={suites} suite={suite} rows={await matrixRows(c.env, suite.uri)} />);
  })
  .get("/agents/:name", async (c) => {
    const name = c.req.param("name");
    const result = await hostOf(c.env, name).record();
    if (!result.ok) return c.html(<NotFoundPage what={`No agent named \`${name}\` is hosted here.`} />, 404);
    const history = await profilesOf(c.env, HOSTED_OWNER, name).history(HOSTED_REF);
    const runs = await registryOf(c.env).runs(name);
    const logs = await hostOf(c.env, name).recentLogs();
    return c.html(
      <AgentPage
        record={result.value}
        history={history}
        runs={runs}
        conversations={await agentConversations(c.env, name)}
        logs={logs}
      />,
    );
  })
  .get("/pairs", async (c) => c.html(<PairsPage pairs={await registryOf(c.env).pairs()} />))
  .get("/pairs/:id", async (c) => {
    const id = c.req.param("id");
    const pair = await registryOf(c.env).pair(id);
    if (!pair)
      return c.html(<NotFoundPage what={`No pair report \`${id}\`: they are listed on the pairs page.`} />, 404);
    return c.html(<PairPage id={pair.id} stored_at={pair.stored_at} report={pair.report as PostedPairReport} />);
  })
  .get("/runs/:id", async (c) => {
    const id = c.req.param("id");
    const run = await registryOf(c.env).run(id);
    if (!run) return c.html(<NotFoundPage what={`No run \`${id}\`: runs are listed on their agent's page.`} />, 404);
    return c.html(<RunPage id={run.id} agent={run.agent} report={run.report} />);
  });
