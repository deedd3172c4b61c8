/**
 * Where one participant's thread of a conversation stands. Every protocol agtest checks is
 * one-to-many: the initiator talks to each participant (receiver of the opening message) in a
 * thread of its own, and the conversation is done when every thread is settled.
 *
 * Live states (more messages expected):
 * - `waiting`: the opening message (request, query-if/-ref, cfp) has no answer yet;
 * - `agreed`: the participant agreed to a request or query and owes its result;
 * - `proposed`: the participant proposed, the initiator owes an accept or a reject;
 * - `accepted`: the proposal was accepted, the participant owes its result.
 *
 * Settled states: `informed` (inform-done or inform-result), `failed`, `refused`, `rejected`,
 * `not-understood` (sent by either side), `cancelled` (by the initiator; the participant may still
 * answer the cancel once, with inform or failure), `cancel-answered`, and `expired` (a contract-net
 * participant let the cfp's `reply_by` deadline pass without answering).
 */
export const PARTY_STATES = [
  "waiting",
  "agreed",
  "proposed",
  "accepted",
  "informed",
  "failed",
  "refused",
  "rejected",
  "not-understood",
  "cancelled",
  "cancel-answered",
  "expired",
] as const;

/** Where one participant's thread stands; see {@link PARTY_STATES}. */
export type PartyState = (typeof PARTY_STATES)[number];

/** A state in which the thread still expects a message. */
export type LiveState = "waiting" | "agreed" | "proposed" | "accepted";

const LIVE: ReadonlySet<string> = new Set<LiveState>(["waiting", "agreed", "proposed", "accepted"]);

/** Whether a thread in `state` still expects a message (the opposite of settled). */
export function isLive(state: PartyState): state is LiveState {
  return LIVE.has(state);
}
