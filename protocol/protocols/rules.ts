import type { Performative } from "../performatives.js";
import type { ProtocolName } from "./names.js";
import { isLive, type LiveState, type PartyState } from "./states.js";

/** The side of a conversation a message comes from. */
export type Role = "initiator" | "participant";

type Moves = { readonly [S in LiveState]?: { readonly [A in Performative]?: PartyState } };

/** One protocol's rules, as the transitions of a single participant's thread. */
type Machine = {
  /** The acts that open a conversation (and only open it). */
  readonly opening: readonly Performative[];
  /** Every act each side may send in this protocol, in the order FIPA's diagram shows them. */
  readonly acts: { readonly [R in Role]: readonly Performative[] };
  /** The protocol's own moves; cancel and not-understood, common to all, are in {@link nextState}. */
  readonly moves: { readonly [R in Role]: Moves };
  /** Whether the opening message's `reply_by` is a deadline the participants must answer by. */
  readonly deadline: boolean;
};

// SC00026 and SC00027 share one diagram: the participant refuses or agrees, and after agreeing (or
// directly, "agree may be skipped") sends failure or inform (inform-done / inform-result / inform-t/f).
const ANSWER = {
  waiting: { refuse: "refused", agree: "agreed", failure: "failed", inform: "informed" },
  agreed: { failure: "failed", inform: "informed" },
} as const satisfies Moves;
const ANSWER_ACTS = ["refuse", "agree", "failure", "inform", "not-understood"] as const;

/**
 * The state machines, one per protocol.
 *
 * @see http://www.fipa.org/specs/fipa00026/SC00026H.html FIPA SC00026 (Request Interaction Protocol)
 * @see http://www.fipa.org/specs/fipa00027/SC00027H.html FIPA SC00027 (Query Interaction Protocol)
 * @see http://www.fipa.org/specs/fipa00029/SC00029H.html FIPA SC00029 (Contract Net Interaction Protocol)
 */
export const MACHINES: { readonly [P in ProtocolName]: Machine } = {
  "fipa-request": {
    opening: ["request"],
    acts: { initiator: ["request", "cancel", "not-understood"], participant: ANSWER_ACTS },
    moves: { initiator: {}, participant: ANSWER },
    deadline: false,
  },
  "fipa-query": {
    opening: ["query-if", "query-ref"],
    acts: { initiator: ["query-if", "query-ref", "cancel", "not-understood"], participant: ANSWER_ACTS },
    moves: { initiator: {}, participant: ANSWER },
    deadline: false,
  },
  // SC00029: each participant proposes or refuses by the deadline; the initiator accepts or rejects
  // each proposal; an accepted participant reports failure or inform (inform-done / inform-result).
  "fipa-contract-net": {
    opening: ["cfp"],
    acts: {
      initiator: ["cfp", "accept-proposal", "reject-proposal", "cancel", "not-understood"],
      participant: ["propose", "refuse", "failure", "inform", "not-understood"],
    },
    moves: {
      initiator: { proposed: { "accept-proposal": "accepted", "reject-proposal": "rejected" } },
      participant: {
        waiting: { propose: "proposed", refuse: "refused" },
        accepted: { failure: "failed", inform: "informed" },
      },
    },
    deadline: true,
  },
};

/**
 * The state a participant's thread moves to when `role` sends `act` in it, or `undefined` when the
 * protocol does not allow that act there. Besides each protocol's own moves, in every live state:
 * either side may send not-understood, which ends the thread (SC00061's reply to a message it
 * could not process), and the initiator may cancel (the cancel meta-protocol of SC00026/27/29),
 * which the participant may answer once with inform or failure.
 */
export function nextState(
  protocol: ProtocolName,
  state: PartyState,
  role: Role,
  act: Performative,
): PartyState | undefined {
  if (isLive(state)) {
    if (act === "not-understood") return "not-understood";
    if (act === "cancel" && role === "initiator") return "cancelled";
    return MACHINES[protocol].moves[role][state]?.[act];
  }
  if (state === "cancelled" && role === "participant" && (act === "inform" || act === "failure"))
    return "cancel-answered";
  return undefined;
}

/** The acts `role` may send in a thread that is in `state`, in the protocol's order. */
export function actsFrom(protocol: ProtocolName, state: PartyState, role: Role): Performative[] {
  return MACHINES[protocol].acts[role].filter((act) => nextState(protocol, state, role, act) !== undefined);
}
