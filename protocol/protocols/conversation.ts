import * as z from "zod";
import { PROTOCOL_NAMES } from "./names.js";
import { isLive, PARTY_STATES, type PartyState } from "./states.js";

/**
 * One conversation's protocol state, as plain JSON data (a Durable Object can store it as is and
 * read it back with {@link ConversationSchema}):
 *
 * - `protocol`: the protocol named by the opening message;
 * - `conversation_id`: the opening message's `conversation_id`, or `null`;
 * - `initiator`: the opening message's `sender`;
 * - `reply_to`: the opening message's `reply_to` addresses other than the initiator and the
 *   participants. FIPA SC00061 directs the participants' answers there, so these addresses receive
 *   answers and may speak on the initiator's side;
 * - `parties`: every participant (the opening message's receivers) and where its thread stands;
 * - `deadline`: the cfp's `reply_by` in a contract net, else `null`;
 * - `done`: whether every thread is settled.
 */
export const ConversationSchema = z.object({
  protocol: z.enum(PROTOCOL_NAMES),
  conversation_id: z.string().nullable(),
  initiator: z.string(),
  reply_to: z.array(z.string()),
  parties: z.record(z.string(), z.enum(PARTY_STATES)),
  deadline: z.string().nullable(),
  done: z.boolean(),
});

/** One conversation's protocol state; see {@link ConversationSchema}. */
export type Conversation = z.infer<typeof ConversationSchema>;

/**
 * What is wrong with a message that breaks its conversation's protocol:
 *
 * - `malformed`: it lacks what the protocol needs (a sender, a receiver, a valid deadline);
 * - `wrong-conversation`: its `conversation_id` or `protocol` is another conversation's;
 * - `not-a-party`: its sender, or a receiver of the initiator's message, takes no part in it;
 * - `misaddressed`: a participant's message goes to someone other than the initiator's side;
 * - `not-in-protocol`: the act has no place in the protocol (subscribe in fipa-request);
 * - `wrong-direction`: the act belongs to the other side (a participant sending request);
 * - `out-of-order`: the act is the sender's, but not at this point of the thread;
 * - `not-proposed`: a contract-net accept or reject to a participant that did not propose;
 * - `late`: a contract-net answer after the cfp's `reply_by` deadline;
 * - `after-done`: the thread, or the whole conversation, is already over.
 */
export const VIOLATION_KINDS = [
  "malformed",
  "wrong-conversation",
  "not-a-party",
  "misaddressed",
  "not-in-protocol",
  "wrong-direction",
  "out-of-order",
  "not-proposed",
  "late",
  "after-done",
] as const;

/** One kind of protocol violation; see {@link VIOLATION_KINDS}. */
export type ViolationKind = (typeof VIOLATION_KINDS)[number];

/**
 * The outcome of applying a message: the conversation after it, or a violation. `violation` is
 * one sentence that starts with the message (`"propose from b to harness: ..."`), fit for a log
 * line or a test report; `kind` classifies it. On a violation the conversation is unchanged.
 */
export type ProtocolStep =
  | { ok: true; conversation: Conversation }
  | { ok: false; kind: ViolationKind; violation: string };

/** Builds a violation outcome. */
export function violation(kind: ViolationKind, text: string): ProtocolStep {
  return { ok: false, kind, violation: text };
}

/** Whether `parties` has `name` as an own key: agent names such as "constructor" are valid. */
export function isParty(conversation: Conversation, name: string): boolean {
  return Object.hasOwn(conversation.parties, name);
}

/** `conversation` with `parties` replaced and `done` recomputed from them. */
export function withParties(conversation: Conversation, parties: Record<string, PartyState>): Conversation {
  return { ...conversation, parties, done: Object.values(parties).every((state) => !isLive(state)) };
}
