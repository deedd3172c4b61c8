import {
  type AclMessage,
  type Conversation as ProtocolState,
  advance,
  describeState,
  openConversation,
} from "../../protocol/index.js";

/** What the conversation stores of its protocol: the state machine's plain-data state. */
export type TrackerState = ProtocolState;

/** One step: the new state, or why the message breaks the protocol. */
export type TrackStep = { ok: true; state: TrackerState | null } | { ok: false; violation: string };

/**
 * Applies a message to the conversation's protocol state machine (FIPA SC00026 request,
 * SC00027 query, SC00029 contract net). A conversation that did not open with a known protocol is
 * not policed.
 */
export function track(state: TrackerState | null, message: AclMessage, now: number): TrackStep {
  if (state === null) {
    const opened = openConversation(message, now);
    if (opened === null) return { ok: true, state: null };
    return opened.ok ? { ok: true, state: opened.conversation } : { ok: false, violation: opened.violation };
  }
  const next = advance(state, message, now);
  return next.ok ? { ok: true, state: next.conversation } : { ok: false, violation: next.violation };
}

/** The state in words ("agreed", "proposals: 2 of 3", "done"), or "untracked". */
export function describeTracker(state: TrackerState | null): string {
  return state === null ? "untracked" : describeState(state);
}
