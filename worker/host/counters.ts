import type { Sql } from "../sql.js";
import type { BucketState } from "./rate.js";

/**
 * The host's rate and breaker state: the inbound bucket, the outbound meter, the routing strikes
 * and the crash-loop trap times. Kept in the host's SQLite (one `meta` row), not only in memory,
 * so an evicted or restarted host remembers them: a crash-looping agent cannot reset its breaker,
 * nor a flooded one its rate limit, by getting its Durable Object evicted.
 */
export type Counters = {
  /** Times (ms) of recent traps, for the crash-loop breaker. */
  traps: number[];
  /** Times (ms) of recent routing strikes. */
  strikes: number[];
  /** The inbound bucket, with the rate it was made for (a new rate starts a new bucket). */
  bucket: (BucketState & { rate: number }) | null;
  /** The outbound meter, likewise. */
  outbound: (BucketState & { rate: number }) | null;
};

export const emptyCounters = (): Counters => ({ traps: [], strikes: [], bucket: null, outbound: null });

/** The saved counters (empty when none were saved, or the row is not what this version writes). */
export function loadCounters(sql: Sql): Counters {
  const row = sql.one<{ value: string }>("SELECT value FROM meta WHERE key = 'counters'");
  if (!row) return emptyCounters();
  const saved = JSON.parse(row.value) as Partial<Counters>;
  return { ...emptyCounters(), ...saved };
}

export function saveCounters(sql: Sql, counters: Counters): void {
  sql.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('counters', ?)", JSON.stringify(counters));
}
