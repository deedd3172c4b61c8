import type { AclMessage } from "../message.js";
import type { Performative } from "../performatives.js";
import { receiversOf } from "../reply.js";
import { isParty, violation, withParties, type Conversation, type ProtocolStep } from "./conversation.js";
import { expire } from "./expire.js";
import { actsFrom, MACHINES, nextState, type Role } from "./rules.js";
import { isLive, type PartyState } from "./states.js";
import { listText, STATE_TEXT, subjectOf } from "./text.js";

/**
 * Applies one more message of a tracked conversation (one that carries its `conversation_id`, or
 * none) and returns the conversation after it, or the first rule the message breaks. A message
 * from the initiator's side applies to the thread of every receiver (they must all be
 * participants, and the act must be allowed in each thread); a participant's message applies to its
 * own thread and may only be addressed to the initiator's side. A message without `protocol` is
 * checked against the conversation's protocol. Deadlines are checked against `now` (see
 * {@link expire}). Never throws and never mutates its arguments: the result is a new object.
 *
 * @param now milliseconds since the Unix epoch.
 * @see http://www.fipa.org/specs/fipa00026/SC00026H.html FIPA SC00026 (Request Interaction Protocol)
 * @see http://www.fipa.org/specs/fipa00027/SC00027H.html FIPA SC00027 (Query Interaction Protocol)
 * @see http://www.fipa.org/specs/fipa00029/SC00029H.html FIPA SC00029 (Contract Net Interaction Protocol)
 */
export function advance(conversation: Conversation, message: AclMessage, now: number): ProtocolStep {
  const current = expire(conversation, now);
  const { performative: act } = message;
  const sender = message.sender ?? null;
  const receivers = receiversOf(message);
  const subject = subjectOf(act, sender, receivers);
  const foreign = foreignField(current, message);
  if (foreign !== null) return violation("wrong-conversation", `${subject}: ${foreign}`);
  if (sender === null)
    return violation("malformed", `${subject}: has no sender, so it cannot be placed in the conversation`);
  const role = roleOf(current, sender);
  if (role === null)
    return violation("not-a-party", `${subject}: ${sender} is not a party to ${conversationText(current)}`);
  const { acts } = MACHINES[current.protocol];
  if (!acts[role].includes(act)) {
    const other: Role = role === "initiator" ? "participant" : "initiator";
    if (!acts[other].includes(act)) {
      const sent = `the initiator sends ${listText(acts.initiator, "and")}; participants send ${listText(acts.participant, "and")}`;
      return violation("not-in-protocol", `${subject}: ${act} is not an act of ${current.protocol} (${sent})`);
    }
    const who = role === "initiator" ? "only participants send" : "only the initiator sends";
    const is = role === "initiator" ? "speaks for the initiator" : "is a participant";
    return violation(
      "wrong-direction",
      `${subject}: wrong direction: in ${current.protocol} ${who} ${act}, and ${sender} ${is}`,
    );
  }
  const threads =
    role === "participant" ? checkAnswer(current, sender, receivers, subject) : checkOrder(current, receivers, subject);
  if (!Array.isArray(threads)) return threads;
  const moved = new Map<string, PartyState>();
  for (const party of threads) {
    const state = current.parties[party] ?? "waiting"; // checked above: every thread is a party's
    const next = nextState(current.protocol, state, role, act);
    if (next === undefined) return explain(current, party, state, role, act, subject);
    moved.set(party, next);
  }
  // Rebuilt with fromEntries rather than assigned key by key, so no address can reach a setter
  // such as Object.prototype's __proto__.
  const parties = Object.fromEntries(
    Object.entries(current.parties).map(([party, state]) => [party, moved.get(party) ?? state]),
  );
  return { ok: true, conversation: withParties(current, parties) };
}

/** Why `message` belongs to another conversation, or `null` when nothing says so. */
function foreignField(conversation: Conversation, message: AclMessage): string | null {
  const id = message.conversation_id ?? null;
  if (id !== null && conversation.conversation_id !== null && id !== conversation.conversation_id) {
    return `belongs to conversation ${JSON.stringify(id)}, not ${JSON.stringify(conversation.conversation_id)}`;
  }
  const protocol = message.protocol ?? null;
  if (protocol !== null && protocol !== conversation.protocol) {
    return `declares protocol ${JSON.stringify(protocol)} in a ${conversation.protocol} conversation`;
  }
  return null;
}

function initiatorSide(conversation: Conversation): string[] {
  return [conversation.initiator, ...conversation.reply_to];
}

function roleOf(conversation: Conversation, sender: string): Role | null {
  if (isParty(conversation, sender)) return "participant";
  return initiatorSide(conversation).includes(sender) ? "initiator" : null;
}

function conversationText(conversation: Conversation): string {
  const side = listText(initiatorSide(conversation), "and");
  return `this ${conversation.protocol} conversation (initiator side ${side}; participants ${Object.keys(conversation.parties).join(", ")})`;
}

/** A participant's message: its own thread, once it is addressed to the initiator's side. */
function checkAnswer(
  conversation: Conversation,
  sender: string,
  receivers: string[],
  subject: string,
): string[] | ProtocolStep {
  const side = initiatorSide(conversation);
  const stray = receivers.find((receiver) => !side.includes(receiver));
  if (stray === undefined) return [sender];
  const whom =
    side.length === 1 ? `the initiator (${conversation.initiator})` : `the initiator's side (${listText(side)})`;
  return violation("misaddressed", `${subject}: a participant answers ${whom}, not ${stray}`);
}

/** A message from the initiator's side: the threads of its receivers, who must all be participants. */
function checkOrder(conversation: Conversation, receivers: string[], subject: string): string[] | ProtocolStep {
  if (receivers.length === 0)
    return violation("malformed", `${subject}: names no receiver, so it reaches no participant`);
  const stray = receivers.find((receiver) => !isParty(conversation, receiver));
  if (stray === undefined) return receivers;
  const why = initiatorSide(conversation).includes(stray) ? "is on the initiator's side" : "is not a party to it";
  return violation(
    "not-a-party",
    `${subject}: ${stray} ${why}; the participants are ${listText(Object.keys(conversation.parties), "and")}`,
  );
}

const NOT_PROPOSED: { readonly [S in PartyState]?: string } = {
  waiting: "has not proposed",
  refused: "refused the cfp",
  expired: "never proposed (no answer before the reply_by deadline)",
};

/** The violation of `act` from `role` in `party`'s thread, which the machine does not allow. */
function explain(
  conversation: Conversation,
  party: string,
  state: PartyState,
  role: Role,
  act: Performative,
  subject: string,
): ProtocolStep {
  const { protocol } = conversation;
  const notProposed = NOT_PROPOSED[state];
  if (role === "initiator" && (act === "accept-proposal" || act === "reject-proposal") && notProposed !== undefined) {
    const done = act === "accept-proposal" ? "accepted" : "rejected";
    return violation(
      "not-proposed",
      `${subject}: ${party} ${notProposed}; only a participant that proposed can be ${done}`,
    );
  }
  if (state === "expired" && role === "participant" && nextState(protocol, "waiting", role, act) !== undefined) {
    const what = act === "propose" ? "proposal" : act === "refuse" ? "refusal" : "answer";
    return violation(
      "late",
      `${subject}: late ${what}, sent after the cfp's reply_by deadline ${conversation.deadline ?? ""}`,
    );
  }
  if (!isLive(state)) {
    const why = conversation.done ? "the conversation is already done" : `${party}'s thread has already ended`;
    return violation("after-done", `${subject}: ${why} (${party} ${STATE_TEXT[state]})`);
  }
  if (MACHINES[protocol].opening.includes(act)) {
    return violation(
      "out-of-order",
      `${subject}: ${act} only opens a ${protocol} conversation, and this one is already open`,
    );
  }
  const allowed = listText(actsFrom(protocol, state, role));
  const may =
    role === "participant" ? `${party} may send only ${allowed}` : `the initiator may send ${party} only ${allowed}`;
  return violation("out-of-order", `${subject}: ${act} is not allowed now: ${party} ${STATE_TEXT[state]}, so ${may}`);
}
