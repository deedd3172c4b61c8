import { withParties, type Conversation } from "./conversation.js";
import type { PartyState } from "./states.js";

/**
 * The conversation as it stands at `now`: once a contract net's `reply_by` deadline has passed,
 * participants that have not answered the cfp are settled as `expired` (SC00029: the initiator
 * evaluates the proposals it received by the deadline and ignores later ones). {@link advance}
 * applies this itself; call it on its own to settle a conversation in which nobody speaks any more,
 * e.g. from a Durable Object alarm. Returns `conversation` itself when nothing changes.
 *
 * @param now milliseconds since the Unix epoch; the deadline is passed when `now` is after it.
 * @see http://www.fipa.org/specs/fipa00029/SC00029H.html FIPA SC00029 (Contract Net Interaction Protocol)
 */
export function expire(conversation: Conversation, now: number): Conversation {
  if (conversation.deadline === null || !(now > Date.parse(conversation.deadline))) return conversation;
  const entries = Object.entries(conversation.parties);
  if (!entries.some(([, state]) => state === "waiting")) return conversation;
  const parties = Object.fromEntries(
    entries.map(([party, state]): [string, PartyState] => [party, state === "waiting" ? "expired" : state]),
  );
  return withParties(conversation, parties);
}
