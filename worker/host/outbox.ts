import type { RoutableMessage } from "../../protocol/index.js";
import type { Sql } from "../sql.js";

/**
 * What a handled message left to route, written in the transaction that removes it from the
 * mailbox: the agent's turn ends there, and the host's router sends it on afterwards (in `seq`
 * order, one row at a time, so order per sender→receiver pair holds). A row is deleted only
 * once routed: after a crash it is routed again and the receivers drop the duplicates by
 * `message_id` (at-least-once).
 *
 * - `sends`: what the agent emitted for `cause`, routed within one delivery budget and metered;
 * - `answer`: a `failure` the runtime writes on the agent's behalf (routed as the runtime's).
 */
export type OutboxWork =
  /** `charged`: the deliveries already charged to the agent's outbound meter when the row was written. */
  | { kind: "sends"; messages: RoutableMessage[]; cause: RoutableMessage; charged: number }
  | { kind: "answer"; reply: RoutableMessage };

/** One row of the outbox. */
export type OutboxRow = { seq: number; hops: number; work: OutboxWork };

/** Creates the outbox table (the host's schema version 3). */
export function createOutbox(sql: Sql): void {
  sql.run(
    "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, hops INTEGER NOT NULL, work TEXT NOT NULL)",
  );
}

/** Appends work routed at `hops` (the hop count its messages travel with). */
export function push(sql: Sql, work: OutboxWork, hops: number): void {
  sql.run("INSERT INTO outbox (hops, work) VALUES (?, ?)", hops, JSON.stringify(work));
}

/** The oldest rows, at most `limit`. */
export function oldest(sql: Sql, limit: number): OutboxRow[] {
  return sql
    .all<{ seq: number; hops: number; work: string }>("SELECT seq, hops, work FROM outbox ORDER BY seq LIMIT ?", limit)
    .map((r) => ({ seq: r.seq, hops: r.hops, work: JSON.parse(r.work) as OutboxWork }));
}

/** Removes a routed row. */
export function done(sql: Sql, seq: number): void {
  sql.run("DELETE FROM outbox WHERE seq = ?", seq);
}

/** How many rows wait to be routed. */
export function depth(sql: Sql): number {
  return sql.one<{ n: number }>("SELECT COUNT(*) AS n FROM outbox")?.n ?? 0;
}
