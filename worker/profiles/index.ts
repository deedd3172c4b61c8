import { DurableObject } from "cloudflare:workers";
import type { InteropProfile } from "../../protocol/index.js";
import type { Env } from "../env.js";
import { type Sql, sqlOf } from "../sql.js";

/** A stored profile with where and when it was published. */
export type StoredProfile = { ref: string; test_suite: string; stored_at: string; profile: InteropProfile };

/** How many versions of a ref's profile are kept (history for the dashboard). */
const HISTORY = 200;

/**
 * The interop profiles published for one repository (`owner/repo`), by ref and suite, with their
 * history: the latest one per ref and suite serves badges and base-branch comparisons.
 */
export class ProfileStore extends DurableObject<Env> {
  readonly #sql: Sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = sqlOf(ctx.storage);
    this.#sql.run(
      "CREATE TABLE IF NOT EXISTS profiles (seq INTEGER PRIMARY KEY AUTOINCREMENT, ref TEXT NOT NULL, test_suite TEXT NOT NULL, stored_at TEXT NOT NULL, profile TEXT NOT NULL)",
    );
    this.#sql.run("CREATE INDEX IF NOT EXISTS profiles_by_ref ON profiles (ref, test_suite, seq)");
  }

  /** Stores a profile; `created` is false when the ref already had one for that suite. */
  async put(ref: string, profile: InteropProfile): Promise<{ created: boolean; stored: StoredProfile }> {
    const created =
      this.#sql.one("SELECT seq FROM profiles WHERE ref = ? AND test_suite = ?", ref, profile.test_suite) === undefined;
    const stored_at = new Date().toISOString();
    this.#sql.run(
      "INSERT INTO profiles (ref, test_suite, stored_at, profile) VALUES (?, ?, ?, ?)",
      ref,
      profile.test_suite,
      stored_at,
      JSON.stringify(profile),
    );
    this.#sql.run(
      "DELETE FROM profiles WHERE ref = ? AND test_suite = ? AND seq <= (SELECT MAX(seq) FROM profiles WHERE ref = ? AND test_suite = ?) - ?",
      ref,
      profile.test_suite,
      ref,
      profile.test_suite,
      HISTORY,
    );
    return { created, stored: { ref, test_suite: profile.test_suite, stored_at, profile } };
  }

  /** The latest profile of a ref (for one suite, or the most recent of any suite). */
  async latest(ref: string, suite: string | null): Promise<StoredProfile | null> {
    const row =
      suite === null
        ? this.#sql.one<Row>(
            "SELECT ref, test_suite, stored_at, profile FROM profiles WHERE ref = ? ORDER BY seq DESC LIMIT 1",
            ref,
          )
        : this.#sql.one<Row>(
            "SELECT ref, test_suite, stored_at, profile FROM profiles WHERE ref = ? AND test_suite = ? ORDER BY seq DESC LIMIT 1",
            ref,
            suite,
          );
    return row ? toStored(row) : null;
  }

  /** Every stored version of a ref's profiles, oldest first. */
  async history(ref: string): Promise<StoredProfile[]> {
    return this.#sql
      .all<Row>("SELECT ref, test_suite, stored_at, profile FROM profiles WHERE ref = ? ORDER BY seq", ref)
      .map(toStored);
  }
}

type Row = { ref: string; test_suite: string; stored_at: string; profile: string };

function toStored(row: Row): StoredProfile {
  return {
    ref: row.ref,
    test_suite: row.test_suite,
    stored_at: row.stored_at,
    profile: JSON.parse(row.profile) as InteropProfile,
  };
}
