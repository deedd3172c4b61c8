/**
 * agtest's protocol layer: FIPA ACL messages as JSON, their validation and threading. Pure
 * TypeScript with no Workers or Node dependency, shared by the runtime, the harness and the action.
 *
 * @see http://www.fipa.org/specs/fipa00061/SC00061G.html FIPA SC00061 (ACL Message Structure)
 * @see http://www.fipa.org/specs/fipa00037/SC00037J.html FIPA SC00037 (Communicative Act Library)
 */
export { sha256Hex } from "./digest.js";
export { VERSION } from "./version.js";
export { PERFORMATIVES, isPerformative, type Performative } from "./performatives.js";
export { AGENT_NAME_PATTERN, MAX_AGENT_URL_LENGTH, isAgentAddress, isAgentName, isAgentUrl } from "./address.js";
export {
  MAX_CONTENT_DEPTH,
  findJsonProblem,
  type JsonArray,
  type JsonObject,
  type JsonProblem,
  type JsonValue,
} from "./json.js";
export {
  AclMessageSchema,
  MESSAGE_FIELDS,
  RoutableMessageSchema,
  type AclMessage,
  type MessageField,
  type RoutableMessage,
} from "./message.js";
export {
  parseMessage,
  parseMessageText,
  parseRoutable,
  parseRoutableText,
  type MessageError,
  type ParseResult,
} from "./parse.js";
export { newMessageId, receiversOf, replyTo, type ReplyFields } from "./reply.js";
export { MAX_MESSAGE_BYTES, messageByteLength } from "./size.js";
export {
  ConversationSchema,
  PARTY_STATES,
  PROTOCOL_NAMES,
  VIOLATION_KINDS,
  advance,
  describeState,
  expire,
  isProtocolName,
  nextActs,
  openConversation,
  type Conversation,
  type PartyState,
  type ProtocolName,
  type ProtocolStep,
  type ViolationKind,
} from "./protocols/index.js";
export {
  InteropProfileSchema,
  SCORE_PATTERN,
  isScore,
  parseProfile,
  parseScore,
  scoreJunction,
  type InteropProfile,
  type ParsedScore,
  type Score,
  type TestStatus,
} from "./profile.js";
export {
  badgeFor,
  scoreLine,
  shieldsEndpoint,
  shieldsStaticUrl,
  tally,
  type Badge,
  type BadgeColor,
  type ShieldsEndpoint,
  type Tally,
} from "./badge.js";
