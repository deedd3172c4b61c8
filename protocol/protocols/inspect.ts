import type { Performative } from "../performatives.js";
import { isParty, type Conversation } from "./conversation.js";
import type { ProtocolName } from "./names.js";
import { actsFrom } from "./rules.js";
import { PARTY_STATES, type PartyState } from "./states.js";

/**
 * The acts each side may send next in `party`'s thread: what the harness may expect of, or send
 * to, a participant. Both lists are empty when `party` is not a participant or its thread is over
 * (except that a cancelled participant may still answer the cancel). Deadlines are not
 * re-checked: pass a conversation brought up to date with {@link expire}.
 */
export function nextActs(
  conversation: Conversation,
  party: string,
): { initiator: Performative[]; participant: Performative[] } {
  if (!isParty(conversation, party)) return { initiator: [], participant: [] };
  const state = conversation.parties[party] ?? "waiting";
  return {
    initiator: actsFrom(conversation.protocol, state, "initiator"),
    participant: actsFrom(conversation.protocol, state, "participant"),
  };
}

const LABEL: { readonly [S in PartyState]: string } = {
  waiting: "waiting",
  agreed: "agreed",
  proposed: "proposed",
  accepted: "accepted",
  refused: "refused",
  failed: "failed",
  informed: "informed",
  rejected: "rejected",
  "not-understood": "not understood",
  cancelled: "cancelled",
  "cancel-answered": "cancel answered",
  expired: "expired",
};

/**
 * A short, human-readable account of where a conversation stands, for logs and reports:
 *
 * - one participant: its state (`"agreed"`, `"proposed"`, `"accepted"`), or while it has not
 *   answered `"requested"`, `"queried"`, `"waiting for a proposal"`;
 * - a contract net with several participants: its phase and the participants' states,
 *   `"collecting proposals: 2 of 3 answered (1 proposed, 1 refused)"`,
 *   `"evaluating proposals (2 proposed, 1 refused)"`, `"awaiting results (1 accepted, 1 rejected, 1 refused)"`;
 * - several participants otherwise: their states, `"1 agreed, 1 waiting"`;
 * - once every thread is settled: `"done"` and how each ended, `"done (informed)"`,
 *   `"done (1 informed, 1 rejected, 1 expired)"`.
 */
export function describeState(conversation: Conversation): string {
  const states = Object.values(conversation.parties);
  const only = states.length === 1 ? states[0] : undefined;
  if (conversation.done) return `done (${only === undefined ? tally(states) : LABEL[only]})`;
  if (only === "waiting") return WAITING[conversation.protocol];
  if (only !== undefined) return LABEL[only];
  if (conversation.protocol !== "fipa-contract-net") return tally(states);
  const answered = states.filter((state) => state !== "waiting");
  if (answered.length < states.length) {
    const detail = answered.length === 0 ? "" : ` (${tally(answered)})`;
    return `collecting proposals: ${answered.length} of ${states.length} answered${detail}`;
  }
  return `${states.includes("proposed") ? "evaluating proposals" : "awaiting results"} (${tally(states)})`;
}

const WAITING: { readonly [P in ProtocolName]: string } = {
  "fipa-request": "requested",
  "fipa-query": "queried",
  "fipa-contract-net": "waiting for a proposal",
};

/** `"2 informed, 1 refused"`: how many participants are in each state, in {@link PARTY_STATES} order. */
function tally(states: readonly PartyState[]): string {
  if (states.length === 0) return "no participants";
  return PARTY_STATES.map((state) => [state, states.filter((s) => s === state).length] as const)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${LABEL[state]}`)
    .join(", ");
}
