import { app } from "./app.js";
import type { Env } from "./env.js";

export { Conversation } from "./conversation/index.js";
export { AgentHost } from "./host/index.js";
export { ProfileStore } from "./profiles/index.js";
export { AgtalkSession } from "./relay/index.js";
export { Registry } from "./registry/index.js";

/** The edge runtime's Worker entry. */
export default app satisfies ExportedHandler<Env>;
