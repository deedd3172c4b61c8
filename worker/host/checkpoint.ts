import { BATCH_PAGES, type Checkpoint, type DurableChanges, type MemoryPage } from "../sandbox/isolate/contract.js";
import type { Sql } from "../sql.js";

/**
 * An agent's memory checkpoint in its host's SQLite: one row per 64 KiB page that ever differed
 * from zero (SQLite rows and values are at most 2 MB, a whole memory can be 128 MiB), and one row
 * with the checkpoint's token, module version, memory size and mutable globals.
 */
export function createCheckpointTables(sql: Sql): void {
  sql.run("CREATE TABLE IF NOT EXISTS memory_pages (page INTEGER PRIMARY KEY, data BLOB NOT NULL)");
  sql.run(
    "CREATE TABLE IF NOT EXISTS checkpoint (id INTEGER PRIMARY KEY CHECK (id = 0), token TEXT NOT NULL, version INTEGER NOT NULL, size INTEGER NOT NULL, globals BLOB NOT NULL)",
  );
}

/** The current checkpoint's token and module version, if there is one. */
export function checkpointHead(sql: Sql): { token: string; version: number } | undefined {
  return sql.one<{ token: string; version: number }>("SELECT token, version FROM checkpoint WHERE id = 0");
}

/**
 * The token after `token`: `epoch:seq+1`. A boot starts a new random epoch, so an isolate left
 * over from an earlier life of the agent (same name, version and digest) can never match.
 */
export function nextToken(token: string | null): string {
  if (token === null) return `${crypto.randomUUID().slice(0, 8)}:0`;
  const at = token.lastIndexOf(":");
  return `${token.slice(0, at)}:${Number(token.slice(at + 1)) + 1}`;
}

/** The whole checkpoint, for an isolate that must restore it (`state` is read by the caller). */
export function readCheckpoint(sql: Sql, state: [string, Uint8Array][]): Checkpoint | null {
  const head = sql.one<{ token: string; size: number; globals: ArrayBuffer }>(
    "SELECT token, size, globals FROM checkpoint WHERE id = 0",
  );
  if (!head) return null;
  const count = sql.one<{ n: number }>("SELECT COUNT(*) AS n FROM memory_pages")?.n ?? 0;
  return {
    token: head.token,
    size: head.size,
    count,
    pages: readPages(sql, 0),
    globals: new Uint8Array(head.globals),
    state,
  };
}

/** One batch of checkpoint pages, in page order, from the `from`-th stored page. */
export function readPages(sql: Sql, from: number): MemoryPage[] {
  return sql
    .all<{ page: number; data: ArrayBuffer }>(
      "SELECT page, data FROM memory_pages ORDER BY page LIMIT ? OFFSET ?",
      BATCH_PAGES,
      from,
    )
    .map((row) => ({ index: row.page, data: new Uint8Array(row.data) }));
}

/** Stores what a message changed; a boot (`replace`) drops the previous version's pages first. */
export function writeCheckpoint(sql: Sql, changes: DurableChanges, version: number, replace: boolean): void {
  if (replace) sql.run("DELETE FROM memory_pages");
  for (const page of changes.memory.pages)
    sql.run("INSERT OR REPLACE INTO memory_pages (page, data) VALUES (?, ?)", page.index, bufferOf(page.data));
  sql.run(
    "INSERT OR REPLACE INTO checkpoint (id, token, version, size, globals) VALUES (0, ?, ?, ?, ?)",
    changes.token,
    version,
    changes.memory.size,
    bufferOf(changes.memory.globals),
  );
}

/** An ArrayBuffer holding exactly the bytes (what SQLite binds). */
export function bufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}
