import type { Sql } from "../sql.js";

/**
 * SQLite caps one value at 2 MB in Durable Objects; modules go up to the runtime's module limit,
 * so they are stored in chunks.
 */
const CHUNK_BYTES = 1024 * 1024;

/** Stores module bytes for a version, chunked. */
export function storeModule(sql: Sql, version: number, bytes: ArrayBuffer): void {
  sql.run("DELETE FROM module_chunks WHERE version = ?", version);
  for (let seq = 0, offset = 0; offset < bytes.byteLength || seq === 0; seq++, offset += CHUNK_BYTES) {
    sql.run(
      "INSERT INTO module_chunks (version, seq, data) VALUES (?, ?, ?)",
      version,
      seq,
      bytes.slice(offset, offset + CHUNK_BYTES),
    );
  }
}

/** Reads back the module bytes of a version. */
export function loadModule(sql: Sql, version: number): ArrayBuffer {
  const rows = sql.all<{ data: ArrayBuffer }>("SELECT data FROM module_chunks WHERE version = ? ORDER BY seq", version);
  if (rows.length === 0) throw new Error(`module version ${version} is not stored`);
  const total = rows.reduce((n, row) => n + row.data.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const row of rows) {
    out.set(new Uint8Array(row.data), offset);
    offset += row.data.byteLength;
  }
  return out.buffer;
}

/** Drops every version but `keep`. */
export function pruneModules(sql: Sql, keep: number): void {
  sql.run("DELETE FROM module_chunks WHERE version <> ?", keep);
}
