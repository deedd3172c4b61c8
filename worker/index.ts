import { app } from "./app.js";
import type { Env } from "./env.js";
import { rerunAll } from "./runs/nightly.js";

export { Conversation } from "./conversation/index.js";
export { AgentHost } from "./host/index.js";
export { ProfileStore } from "./profiles/index.js";
export { AgtalkSession } from "./relay/index.js";
export { Registry } from "./registry/index.js";

/** The edge runtime's Worker entry: the HTTP API, and the nightly re-run of every hosted agent. */
export default {
  fetch: app.fetch,
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(rerunAll(env, async (request) => app.fetch(request, env, ctx)));
  },
} satisfies ExportedHandler<Env>;
