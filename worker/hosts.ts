import type { Env } from "./env.js";
import type { AgentHost } from "./host/index.js";

/** The agent host (Durable Object) of an agent name. */
export function hostOf(env: Env, name: string): DurableObjectStub<AgentHost> {
  return env.AGENT_HOST.get(env.AGENT_HOST.idFromName(name));
}
