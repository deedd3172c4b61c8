import type { Env } from "../env.js";
import { registryOf } from "../stubs.js";
import { type SelfFetch, executeRun } from "./execute.js";

/** The nightly cron: every running hosted agent is run against the fipa suite again, so the matrix stays current. */
export async function rerunAll(env: Env, self: SelfFetch): Promise<void> {
  for (const agent of await registryOf(env).list()) {
    if (agent.state !== "running") continue;
    try {
      await executeRun(env, self, agent.name, "fipa");
    } catch (err) {
      console.error(`nightly run of ${agent.name} failed:`, err instanceof Error ? err.message : err);
    }
  }
}
