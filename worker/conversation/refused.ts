import type { Sql } from "../sql.js";

/** Something the runtime would not route into a conversation, kept so it is visible, not silent. */
export type RefusedEntry = { at: string; reason: string; excerpt: string | null };

/** How many refusals a conversation keeps (oldest dropped first), and how much of each refused message. */
const KEEP = 100;
const EXCERPT_CHARS = 1024;

/** Records a refusal, bounded: at most {@link KEEP}, each excerpt cut to {@link EXCERPT_CHARS} characters. */
export function noteRefused(sql: Sql, conversationId: string, reason: string, excerpt: unknown): void {
  let text: string | null = null;
  if (excerpt !== null && excerpt !== undefined) {
    try {
      text = JSON.stringify(excerpt).slice(0, EXCERPT_CHARS);
    } catch {
      text = null;
    }
  }
  sql.run(
    "INSERT INTO refused (conversation_id, at, reason, excerpt) VALUES (?, ?, ?, ?)",
    conversationId,
    new Date().toISOString(),
    reason.slice(0, EXCERPT_CHARS),
    text,
  );
  sql.run(
    "DELETE FROM refused WHERE conversation_id = ? AND seq NOT IN (SELECT seq FROM refused WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?)",
    conversationId,
    conversationId,
    KEEP,
  );
}

/** Every kept refusal, oldest first. */
export function refusedEntries(sql: Sql, conversationId: string): RefusedEntry[] {
  return sql.all<RefusedEntry>(
    "SELECT at, reason, excerpt FROM refused WHERE conversation_id = ? ORDER BY seq",
    conversationId,
  );
}
