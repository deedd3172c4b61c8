import type { PartyState, ProtocolName } from "../../../protocol/index.js";

/** A side of a pair: the agent that opens the conversation, or the one that answers it. */
export type PairRole = "initiator" | "participant";

/**
 * One protocol scenario a suite offers `agtest pair`: how to ask an initiator (agact) to open a
 * conversation with the participants, and which ending counts as the two working together.
 */
export type PairScenario = {
  protocol: ProtocolName;
  title: string;
  /** The suite's junctions that score each role alone (the oracle `agtest pair` cross-checks). */
  junctions: { readonly [R in PairRole]: string };
  /** Instances of the participant agent in the conversation (a contract net needs two to see a reject). */
  participants: number;
  /** The agact action (and its parameters) that asks the initiator to open the conversation. */
  act(receivers: readonly string[], tag: string): { action: string; params: string[] };
  /** Whether the participants' threads, once the conversation is over, ended as the scenario hopes. */
  succeeded(states: readonly PartyState[]): boolean;
  /** That ending, in words, for the report. */
  expect: string;
};

/**
 * Why a pair does not work. A protocol rule (`after-done`, `out-of-order`... see
 * `VIOLATION_KINDS`) when a message broke the state machine; otherwise how the exchange ended:
 * `no-opening` (the initiator opened nothing), `not-understood`, `refused`, `failure`,
 * `expired` (no answer by the cfp's deadline), `unfinished` (a thread still waits for a message),
 * `wrong-receivers`, `backchannel` (agact answered 1), `no-quiet` (an agent never fell quiet).
 */
export type PairRule = string;

/** The outcome of one exchange (one initiator, one participant, one protocol). */
export type Exchange =
  | { verdict: "works"; conversation: string; messages: number }
  | {
      verdict: "fails";
      rule: PairRule;
      /** Whether `rule` is a protocol violation (a message the state machine does not allow). */
      violation: boolean;
      /** Whose side broke the rule or left the exchange unfinished, when that is known. */
      by: PairRole | null;
      detail: string;
      conversation?: string;
      messages?: number;
    }
  | { verdict: "unsupported"; by: PairRole; detail: string };

/** One cell of a protocol's matrix. */
export type PairCell = { initiator: string; participant: string } & { outcome: Exchange };

/** A role an agent was found not to play (QUIC interop runner style), and why. */
export type UnsupportedRole = { agent: string; role: PairRole; why: string };

/** One protocol's initiator × participant matrix. */
export type ProtocolMatrix = {
  protocol: ProtocolName;
  title: string;
  expect: string;
  cells: PairCell[];
  unsupported: UnsupportedRole[];
};

/** A pair that fails although the oracle scores both roles `interoperable` (issue 16, item 5). */
export type OracleGap = {
  protocol: ProtocolName;
  initiator: string;
  participant: string;
  rule: PairRule;
  junctions: { readonly [R in PairRole]: string };
  note: string;
};

/** Everything `agtest pair` found. */
export type PairReport = {
  /** `urn:agtest:pair:1` */
  report: "urn:agtest:pair:1";
  suite: string;
  started_at: string;
  duration_ms: number;
  agents: { name: string; file?: string; digest?: string }[];
  protocols: ProtocolMatrix[];
  /** `null` when no oracle profile was given or run. */
  oracle: { profiles: string[]; gaps: OracleGap[] } | null;
  notes: string[];
};
