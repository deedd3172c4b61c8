import type { Conversation } from "./conversation/index.js";
import type { AgentHost } from "./host/index.js";
import type { AgtalkSession } from "./relay/index.js";
import type { ProfileStore } from "./profiles/index.js";
import type { Registry } from "./registry/index.js";

/** Bindings of the edge runtime (see wrangler.toml). */
export type Env = {
  /** Bearer token for every route but health; a Worker secret at the edge, `.dev.vars` locally. */
  AGTEST_TOKEN?: string;
  /** Optional read-only token: GET routes and the dashboard only. */
  AGTEST_READ_TOKEN?: string;
  AGTEST_VERSION?: string;
  /** `"1"`: every delivery runs in a new agent isolate (Durable agents: shows checkpoints work). */
  AGTEST_FRESH_ISOLATES?: string;
  /** Dynamic Worker loader: one sandboxed isolate per agent version. */
  LOADER: WorkerLoader;
  REGISTRY: DurableObjectNamespace<Registry>;
  AGENT_HOST: DurableObjectNamespace<AgentHost>;
  CONVERSATION: DurableObjectNamespace<Conversation>;
  AGTALK: DurableObjectNamespace<AgtalkSession>;
  PROFILES: DurableObjectNamespace<ProfileStore>;
};
