import type { Sql } from "../sql.js";
import { bufferOf } from "./checkpoint.js";

/** Largest single value (a SQLite value is at most 2 MB; keys are at most 512 bytes). */
export const MAX_VALUE_BYTES = 1024 * 1024;

const utf8 = new TextEncoder();
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The agent's key-value state (`state_get`/`state_put`/`state_delete`), one row per key. */
export function createStateTable(sql: Sql): void {
  sql.run("CREATE TABLE IF NOT EXISTS agent_state (key TEXT PRIMARY KEY, value BLOB NOT NULL)");
}

/** Every entry, for an isolate (it reads state locally, without a round trip per call). */
export function readState(sql: Sql): [string, Uint8Array][] {
  return sql
    .all<{ key: string; value: ArrayBuffer }>("SELECT key, value FROM agent_state ORDER BY key")
    .map((row) => [row.key, new Uint8Array(row.value)]);
}

/** Applies a message's buffered writes, in order (`null` deletes). */
export function applyWrites(sql: Sql, writes: [string, Uint8Array | null][]): void {
  for (const [key, value] of writes) {
    if (value === null) sql.run("DELETE FROM agent_state WHERE key = ?", key);
    else sql.run("INSERT OR REPLACE INTO agent_state (key, value) VALUES (?, ?)", key, bufferOf(value));
  }
}

/** One entry as the API shows it: the value as text when it is UTF-8, always as base64. */
export type StateEntry = { key: string; bytes: number; text: string | null; base64: string };

/** The state for `GET /v1/agents/:name/state`, with its size against the quota. */
export function stateView(sql: Sql, quota: number): { entries: StateEntry[]; bytes: number; quota: number } {
  let bytes = 0;
  const entries = readState(sql).map(([key, value]): StateEntry => {
    bytes += utf8.encode(key).byteLength + value.byteLength;
    let text: string | null;
    try {
      text = strict.decode(value);
    } catch {
      text = null;
    }
    let binary = "";
    for (let i = 0; i < value.length; i += 0x8000) binary += String.fromCharCode(...value.subarray(i, i + 0x8000));
    return { key, bytes: value.byteLength, text, base64: btoa(binary) };
  });
  return { entries, bytes, quota };
}
