import type { AclMessage } from "../message.js";
import { receiversOf } from "../reply.js";
import { violation, withParties, type Conversation, type ProtocolStep } from "./conversation.js";
import { expire } from "./expire.js";
import { isProtocolName } from "./names.js";
import { MACHINES } from "./rules.js";
import { listText, subjectOf } from "./text.js";

/**
 * Starts tracking a conversation from its first message: a `request`, `query-if`, `query-ref` or
 * `cfp` whose `protocol` names a protocol agtest knows. Every receiver becomes a participant with
 * a thread of its own. Returns `null` when the message declares no protocol or one agtest does not
 * know (it is then not tracked), and a violation when it declares a known protocol but cannot open
 * it: a performative that does not open it, no sender, no receiver, the sender among its own
 * receivers, or an unreadable `reply_by`. Never throws.
 *
 * @param now milliseconds since the Unix epoch, compared with a cfp's `reply_by`.
 * @see http://www.fipa.org/specs/fipa00061/SC00061G.html FIPA SC00061 (protocol, reply-to, reply-by)
 */
export function openConversation(first: AclMessage, now: number): ProtocolStep | null {
  const { protocol, performative: act } = first;
  if (!isProtocolName(protocol)) return null;
  const machine = MACHINES[protocol];
  const sender = first.sender ?? null;
  const receivers = receiversOf(first);
  const subject = subjectOf(act, sender, receivers);
  if (!machine.opening.includes(act)) {
    const known = machine.acts.initiator.includes(act) || machine.acts.participant.includes(act);
    const id = typeof first.conversation_id === "string" ? ` "${first.conversation_id}"` : "";
    const why = known
      ? `a ${protocol} conversation opens with ${listText(machine.opening)}, and no ${protocol} conversation${id} is open`
      : `${act} is not an act of ${protocol}, which opens with ${listText(machine.opening)}`;
    return violation(known ? "out-of-order" : "not-in-protocol", `${subject}: ${why}`);
  }
  if (sender === null)
    return violation(
      "malformed",
      `${subject}: opens a ${protocol} conversation without a sender, so it has no initiator`,
    );
  if (receivers.length === 0) {
    return violation(
      "malformed",
      `${subject}: opens a ${protocol} conversation without a receiver, so it has no participant`,
    );
  }
  if (receivers.includes(sender)) {
    return violation("malformed", `${subject}: ${sender} cannot be both the initiator and a participant`);
  }
  const deadline = machine.deadline ? (first.reply_by ?? null) : null;
  if (deadline !== null && Number.isNaN(Date.parse(deadline))) {
    return violation("malformed", `${subject}: reply_by ${JSON.stringify(deadline)} is not a date-time`);
  }
  const replyTo = receiversOf({ receiver: first.reply_to }).filter(
    (address) => address !== sender && !receivers.includes(address),
  );
  const conversation: Conversation = withParties(
    {
      protocol,
      conversation_id: first.conversation_id ?? null,
      initiator: sender,
      reply_to: replyTo,
      parties: {},
      deadline,
      done: false,
    },
    Object.fromEntries(receivers.map((receiver) => [receiver, "waiting" as const])),
  );
  return { ok: true, conversation: expire(conversation, now) };
}
