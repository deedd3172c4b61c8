import type { RoutableMessage } from "../../protocol/index.js";
import type { Sql } from "../sql.js";
import * as mailbox from "./mailbox.js";

/** Pending timers an agent may have at once (`timer_set` returns -1 beyond it). */
export const MAX_PENDING_TIMERS = 64;

/** Timers set with `timer_set`, due at `due_at` (ms since the epoch). */
export function createTimerTable(sql: Sql): void {
  sql.run(
    "CREATE TABLE IF NOT EXISTS timers (id INTEGER PRIMARY KEY AUTOINCREMENT, due_at INTEGER NOT NULL, tag TEXT NOT NULL)",
  );
}

/** Stores the timers a handled message set (in the transaction that settles it). */
export function addTimers(sql: Sql, timers: { delay_ms: number; tag: string }[], now: number): void {
  for (const t of timers) sql.run("INSERT INTO timers (due_at, tag) VALUES (?, ?)", now + t.delay_ms, t.tag);
}

/** How many timers wait. */
export function pendingTimers(sql: Sql): number {
  return sql.one<{ n: number }>("SELECT COUNT(*) AS n FROM timers")?.n ?? 0;
}

/** Pending timers, soonest first (for the owner, with the state). */
export function listTimers(sql: Sql): { due_at: string; tag: string }[] {
  return sql
    .all<{ due_at: number; tag: string }>("SELECT due_at, tag FROM timers ORDER BY due_at, id")
    .map((t) => ({ due_at: new Date(t.due_at).toISOString(), tag: t.tag }));
}

/** When the next timer is due, if any: the host keeps its single alarm at or before it. */
export function nextTimerAt(sql: Sql): number | null {
  return sql.one<{ at: number | null }>("SELECT MIN(due_at) AS at FROM timers")?.at ?? null;
}

/**
 * Moves every due timer into the mailbox as the timer message of ARCHITECTURE.md (synchronously,
 * so the move is one transaction: a timer is either pending or queued, never lost or doubled).
 * Returns how many fired.
 */
export function fireDue(sql: Sql, now: number, agent: string): number {
  const due = sql.all<{ id: number; tag: string }>(
    "SELECT id, tag FROM timers WHERE due_at <= ? ORDER BY due_at, id",
    now,
  );
  for (const t of due) {
    const message: RoutableMessage = {
      performative: "inform",
      sender: "runtime",
      receiver: agent,
      ontology: "agtest-timer",
      content: t.tag,
      message_id: `timer/${agent}/${t.id}`,
      x_agtest_origin: "runtime",
    };
    mailbox.enqueue(sql, String(message.message_id), JSON.stringify(message), 0, now);
    sql.run("DELETE FROM timers WHERE id = ?", t.id);
  }
  return due.length;
}
