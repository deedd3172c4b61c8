import type { Sql } from "../sql.js";
import type { AgentState } from "./record.js";

/**
 * Whether a hosted agent has nothing more to say, and why not. `quiet` holds when its mailbox is
 * empty (nothing queued, nothing in flight: a message stays in the mailbox until it was handled and
 * what the agent emitted for it is in the outbox, which counts until routed; a retry waits in the
 * mailbox with its backoff) and no timer of its own is
 * pending. What the agent sent is then already wherever it was routed (another mailbox, a relay
 * session, an egress POST that was answered), so a reader of that place sees everything.
 */
export type QuietState = {
  quiet: boolean;
  state: AgentState;
  /** Messages waiting, the one in flight included, and handled ones whose sends are still being routed. */
  mailbox: number;
  /** Of those, how many wait for a retry after a failed delivery. */
  retrying: number;
  /** Timers the agent set that have not fired yet. */
  timers: number;
  /** How long the call waited for quiet. */
  waited_ms: number;
};

/** The longest wait one call may ask for (a long-poll, like the relay's). */
export const MAX_QUIET_WAIT_MS = 30_000;

/** How often a waiter looks again without a notification: a safety net, not the mechanism. */
const RECHECK_MS = 50;

/** What the Durable Object tells {@link quietNow} beyond its SQLite. */
export type QuietInputs = { state: AgentState; timers: number; outbox: number };

/** The agent's quietness now, from its mailbox and the counts the host passes in. */
export function quietNow(sql: Sql, inputs: QuietInputs, waitedMs = 0): QuietState {
  const row = sql.one<{ n: number; retrying: number | null }>(
    "SELECT COUNT(*) AS n, SUM(attempts > 0) AS retrying FROM mailbox",
  );
  const depth = (row?.n ?? 0) + inputs.outbox;
  return {
    quiet: depth === 0 && inputs.timers === 0,
    state: inputs.state,
    mailbox: depth,
    retrying: row?.retrying ?? 0,
    timers: inputs.timers,
    waited_ms: waitedMs,
  };
}

/**
 * Waiters for an agent to become quiet. The host calls {@link notify} whenever its delivery loop
 * goes idle; each waiter then checks the state again (and on its own every {@link RECHECK_MS}, so a
 * missed notification costs a few milliseconds, never a wrong answer).
 */
export class Quiescence {
  readonly #wake = new Set<() => void>();

  /** Something changed: every waiter looks again. */
  notify(): void {
    for (const wake of [...this.#wake]) wake();
  }

  /** Waits up to `waitMs` (capped at {@link MAX_QUIET_WAIT_MS}) until `check()` says quiet; returns the last state. */
  async until(check: (waitedMs: number) => QuietState, waitMs: number): Promise<QuietState> {
    const started = Date.now();
    const deadline = started + Math.min(Math.max(0, waitMs), MAX_QUIET_WAIT_MS);
    for (;;) {
      const state = check(Date.now() - started);
      const left = deadline - Date.now();
      if (state.quiet || left <= 0) return state;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#wake.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, RECHECK_MS));
        this.#wake.add(done);
      });
    }
  }
}
