import type { AgentLog } from "../sandbox/isolate/contract.js";
import type { Sql } from "../sql.js";

/** Log lines kept per agent; older ones are dropped (a ring). */
export const LOG_RING = 1000;
/** At most this many lines per page of `GET /v1/agents/:name/logs`. */
export const LOG_PAGE = 500;

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** One stored line: `seq` is the cursor (`?after=`). */
export type LogLine = {
  seq: number;
  at: string;
  level: (typeof LOG_LEVELS)[number];
  text: string;
  message_id: string | null;
};

/** What agents write with `agent.log`, and the runtime's line for each trap. */
export function createLogTable(sql: Sql): void {
  sql.run(
    "CREATE TABLE IF NOT EXISTS agent_logs (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, level INTEGER NOT NULL, text TEXT NOT NULL, message_id TEXT)",
  );
}

/** Appends lines (of one message, or of a boot when `messageId` is null) and trims the ring. */
export function appendLogs(sql: Sql, lines: AgentLog[], messageId: string | null): void {
  if (lines.length === 0) return;
  const at = new Date().toISOString();
  for (const line of lines)
    sql.run(
      "INSERT INTO agent_logs (at, level, text, message_id) VALUES (?, ?, ?, ?)",
      at,
      line.level,
      line.text,
      messageId,
    );
  sql.run("DELETE FROM agent_logs WHERE seq <= (SELECT MAX(seq) FROM agent_logs) - ?", LOG_RING);
}

/** The newest `n` lines, oldest first (the dashboard). */
export function tailLogs(sql: Sql, n: number): LogLine[] {
  return sql
    .all<{ seq: number; at: string; level: number; text: string; message_id: string | null }>(
      "SELECT * FROM (SELECT seq, at, level, text, message_id FROM agent_logs ORDER BY seq DESC LIMIT ?) ORDER BY seq",
      n,
    )
    .map((r): LogLine => ({ ...r, level: LOG_LEVELS[r.level] ?? "error" }));
}

/** Lines after the cursor at `minLevel` or above, oldest first; `next` is the cursor to pass on. */
export function readLogs(
  sql: Sql,
  query: { after: number; minLevel: number; limit: number },
): { logs: LogLine[]; next: number } {
  const rows = sql.all<{ seq: number; at: string; level: number; text: string; message_id: string | null }>(
    "SELECT seq, at, level, text, message_id FROM agent_logs WHERE seq > ? AND level >= ? ORDER BY seq LIMIT ?",
    query.after,
    query.minLevel,
    Math.min(query.limit, LOG_PAGE),
  );
  const logs = rows.map((r): LogLine => ({ ...r, level: LOG_LEVELS[r.level] ?? "error" }));
  return { logs, next: logs.at(-1)?.seq ?? query.after };
}
