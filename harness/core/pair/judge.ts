import {
  type AclMessage,
  advance,
  type Conversation,
  openConversation,
  type PartyState,
  VIOLATION_KINDS,
} from "../../../protocol/index.js";
import type { Exchange, PairRole, PairScenario } from "./types.js";

/** One message of a conversation as the runtime logs it (`GET /v1/conversations/:id`). */
export type LoggedMessage = { seq: number; at: string; message: AclMessage };

/** Who is who in the exchange being judged. */
export type Cast = { initiator: string; participants: readonly string[] };

/**
 * Replays a conversation through the protocol state machines (protocol/protocols), message by
 * message at the time the runtime logged it, and says whether the pair worked: the conversation
 * is over and every thread ended as the scenario hopes. The first rule a message breaks is the
 * verdict, blamed on the side that sent it; an exchange that breaks no rule but ends otherwise
 * (not-understood, refused, still waiting) is blamed on the side that ended it or owes a message.
 */
export function judgeExchange(
  scenario: PairScenario,
  cast: Cast,
  conversation: string,
  log: readonly LoggedMessage[],
): Exchange {
  const messages = [...log].sort((a, b) => a.seq - b.seq);
  const fails = (rule: string, by: PairRole | null, detail: string): Exchange => ({
    verdict: "fails",
    rule,
    violation: (VIOLATION_KINDS as readonly string[]).includes(rule),
    by,
    detail,
    conversation,
    messages: messages.length,
  });
  const [first, ...rest] = messages;
  if (first === undefined) return fails("no-opening", "initiator", "the conversation holds no message");
  const opened = openConversation(first.message, Date.parse(first.at));
  if (opened === null)
    return fails(
      "malformed",
      "initiator",
      `its first message declares no protocol agtest knows (${scenario.protocol} expected)`,
    );
  if (!opened.ok) return fails(opened.kind, roleOf(first.message, cast), opened.violation);
  let state: Conversation = opened.conversation;
  if (state.protocol !== scenario.protocol)
    return fails("wrong-conversation", "initiator", `it opened ${state.protocol}, not ${scenario.protocol}`);
  const parties = Object.keys(state.parties).sort();
  if (state.initiator !== cast.initiator || parties.join() !== [...cast.participants].sort().join())
    return fails(
      "wrong-receivers",
      "initiator",
      `${state.initiator} opened it with ${parties.join(", ")}; asked: ${cast.initiator} with ${cast.participants.join(", ")}`,
    );
  /** Who sent the message that settled each thread (for not-understood, which either side may send). */
  const settledBy = new Map<string, PairRole>();
  for (const { message, at } of rest) {
    const step = advance(state, message, Date.parse(at));
    if (!step.ok) return fails(step.kind, roleOf(message, cast), step.violation);
    for (const [party, after] of Object.entries(step.conversation.parties))
      if (after !== state.parties[party]) settledBy.set(party, roleOf(message, cast) ?? "participant");
    state = step.conversation;
  }
  const states = cast.participants.map((p) => state.parties[p] ?? "waiting");
  if (state.done && scenario.succeeded(states)) return { verdict: "works", conversation, messages: messages.length };
  const [party, end] = unhappy(cast.participants, states);
  const threadOf = cast.participants.length > 1 ? `${party}'s thread` : "the thread";
  const why = ENDINGS[end];
  return fails(why.rule, why.by(settledBy.get(party)), `${threadOf} ${why.text}`);
}

/** The first thread that did not end as hoped (live ones first: they say who owes a message). */
function unhappy(participants: readonly string[], states: PartyState[]): [string, PartyState] {
  const live = states.findIndex((s) => s === "waiting" || s === "agreed" || s === "proposed" || s === "accepted");
  const index = live >= 0 ? live : states.findIndex((s) => s !== "informed" && s !== "rejected");
  const at = Math.max(index, 0);
  return [participants[at] ?? "?", states[at] ?? "waiting"];
}

const participant = () => "participant" as const;
const initiator = () => "initiator" as const;

/** How each ending of a thread reads, and whose side it is put down to. */
const ENDINGS: Record<PartyState, { rule: string; text: string; by: (sender: PairRole | undefined) => PairRole }> = {
  waiting: { rule: "unfinished", text: "got no answer: the participant never replied in it", by: participant },
  agreed: { rule: "unfinished", text: "stopped after agree: the participant never sent its result", by: participant },
  proposed: {
    rule: "unfinished",
    text: "stopped after propose: the initiator neither accepted nor rejected the proposal",
    by: initiator,
  },
  accepted: {
    rule: "unfinished",
    text: "stopped after accept-proposal: the participant never sent its result",
    by: participant,
  },
  informed: { rule: "unfinished", text: "ended in inform, but not as the scenario hopes", by: participant },
  failed: { rule: "failure", text: "ended in failure", by: participant },
  refused: { rule: "refused", text: "ended in refuse", by: participant },
  rejected: { rule: "unfinished", text: "ended in reject-proposal: no proposal was accepted", by: initiator },
  "not-understood": { rule: "not-understood", text: "ended in not-understood", by: (s) => s ?? "participant" },
  cancelled: { rule: "unfinished", text: "was cancelled by the initiator", by: initiator },
  "cancel-answered": { rule: "unfinished", text: "was cancelled by the initiator", by: initiator },
  expired: { rule: "expired", text: "got no answer before the cfp's reply_by deadline", by: participant },
};

function roleOf(message: AclMessage, cast: Cast): PairRole | null {
  if (message.sender === cast.initiator) return "initiator";
  return typeof message.sender === "string" && cast.participants.includes(message.sender) ? "participant" : null;
}
