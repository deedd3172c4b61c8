import type { Sql } from "../sql.js";

/** A message waiting in an agent's mailbox. */
export type Pending = {
  seq: number;
  message_id: string;
  text: string;
  hops: number;
  attempts: number;
  next_at: number;
};

/** A message that could not be delivered, kept for the API. */
export type DeadLetter = { message_id: string; message: unknown; reason: string; at: string };

/** How many delivered message ids are remembered for duplicate suppression. */
const SEEN_KEEP = 10_000;
/** How many dead letters are kept (oldest dropped first): a terminated flood must not fill the disk. */
const DEAD_KEEP = 1000;

/** Creates the mailbox tables. */
export function createMailbox(sql: Sql): void {
  sql.run(
    "CREATE TABLE IF NOT EXISTS mailbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL UNIQUE, text TEXT NOT NULL, hops INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL)",
  );
  sql.run("CREATE TABLE IF NOT EXISTS seen (seq INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL UNIQUE)");
  sql.run(
    "CREATE TABLE IF NOT EXISTS dead_letters (seq INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL, text TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL)",
  );
}

/** Whether a message id is queued or was delivered already (a duplicate). */
export function known(sql: Sql, messageId: string): boolean {
  return (
    sql.one("SELECT seq FROM seen WHERE message_id = ?", messageId) !== undefined ||
    sql.one("SELECT seq FROM mailbox WHERE message_id = ?", messageId) !== undefined
  );
}

/**
 * Writes a message to the mailbox unless its id is already queued (the caller checked {@link known}:
 * delivered ids are not looked up again); returns whether it was new. The write is durable before
 * the caller's RPC returns (the Durable Object's output gate holds the answer until storage confirms it).
 */
export function enqueue(sql: Sql, messageId: string, text: string, hops: number, now: number): boolean {
  const added = sql.one<{ seq: number }>(
    "INSERT INTO mailbox (message_id, text, hops, next_at) VALUES (?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING RETURNING seq",
    messageId,
    text,
    hops,
    now,
  );
  return added !== undefined;
}

/** The oldest message, if it is due: strict FIFO, so order per sender→receiver pair is kept. */
export function head(sql: Sql): Pending | undefined {
  return sql.one<Pending>("SELECT seq, message_id, text, hops, attempts, next_at FROM mailbox ORDER BY seq LIMIT 1");
}

/** How often (in delivered messages) the duplicate filter is trimmed back to {@link SEEN_KEEP}. */
const SEEN_TRIM_EVERY = 100;

/** Marks a message delivered: out of the mailbox, into the duplicate filter. */
export function settle(sql: Sql, pending: Pending): void {
  sql.run("DELETE FROM mailbox WHERE seq = ?", pending.seq);
  const seen = sql.one<{ seq: number }>(
    "INSERT INTO seen (message_id) VALUES (?) ON CONFLICT (message_id) DO NOTHING RETURNING seq",
    pending.message_id,
  );
  if (seen && seen.seq % SEEN_TRIM_EVERY === 0) sql.run("DELETE FROM seen WHERE seq <= ?", seen.seq - SEEN_KEEP);
}

/** Schedules another attempt. */
export function retryLater(sql: Sql, pending: Pending, at: number): void {
  sql.run("UPDATE mailbox SET attempts = attempts + 1, next_at = ? WHERE seq = ?", at, pending.seq);
}

/** Moves a message to the dead-letter list. */
export function bury(sql: Sql, messageId: string, text: string, reason: string): void {
  sql.run("DELETE FROM mailbox WHERE message_id = ?", messageId);
  sql.run("INSERT OR IGNORE INTO seen (message_id) VALUES (?)", messageId);
  sql.run("DELETE FROM seen WHERE seq <= (SELECT MAX(seq) FROM seen) - ?", SEEN_KEEP);
  sql.run(
    "INSERT INTO dead_letters (message_id, text, reason, at) VALUES (?, ?, ?, ?)",
    messageId,
    text,
    reason,
    new Date().toISOString(),
  );
  sql.run("DELETE FROM dead_letters WHERE seq <= (SELECT MAX(seq) FROM dead_letters) - ?", DEAD_KEEP);
}

/** Every dead letter, oldest first. */
export function deadLetters(sql: Sql): DeadLetter[] {
  return sql
    .all<{ message_id: string; text: string; reason: string; at: string }>(
      "SELECT message_id, text, reason, at FROM dead_letters ORDER BY seq",
    )
    .map((row) => ({
      message_id: row.message_id,
      message: JSON.parse(row.text) as unknown,
      reason: row.reason,
      at: row.at,
    }));
}

/** Every pending message, oldest first. */
export function pendingAll(sql: Sql): Pending[] {
  return sql.all<Pending>("SELECT seq, message_id, text, hops, attempts, next_at FROM mailbox ORDER BY seq");
}

/** How many messages wait. */
export function depth(sql: Sql): number {
  return sql.one<{ n: number }>("SELECT COUNT(*) AS n FROM mailbox")?.n ?? 0;
}
