/**
 * FIPA interaction-protocol state machines: which message may come next in a conversation, and
 * why one that breaks the protocol does. Pure functions over plain JSON data, shared by the runtime
 * (to log protocol state and flag violations) and the harness (to check agents).
 *
 * @see http://www.fipa.org/specs/fipa00026/SC00026H.html FIPA SC00026 (Request Interaction Protocol)
 * @see http://www.fipa.org/specs/fipa00027/SC00027H.html FIPA SC00027 (Query Interaction Protocol)
 * @see http://www.fipa.org/specs/fipa00029/SC00029H.html FIPA SC00029 (Contract Net Interaction Protocol)
 */
export { PROTOCOL_NAMES, isProtocolName, type ProtocolName } from "./names.js";
export { PARTY_STATES, type PartyState } from "./states.js";
export {
  ConversationSchema,
  VIOLATION_KINDS,
  type Conversation,
  type ProtocolStep,
  type ViolationKind,
} from "./conversation.js";
export { openConversation } from "./open.js";
export { advance } from "./advance.js";
export { expire } from "./expire.js";
export { describeState, nextActs } from "./inspect.js";
