import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.js";
import { type Sql, sqlOf } from "../sql.js";

/** Prefix of relay session addresses; no agent may be named with it. */
export const AGTALK_PREFIX = "agtalk-";

/** How many messages a session keeps (oldest dropped first, and counted). */
const MAX_MESSAGES = 10_000;

/** A relayed message with its sequence number: whatever JSON the sender posted. */
export type Relayed = { seq: number; message: unknown };

/**
 * An agtalk relay session: a mailbox an external agent (or a hosted one) can send to, read by the
 * harness with a long poll, for runners that cannot accept inbound connections (CI).
 */
export class AgtalkSession extends DurableObject<Env> {
  readonly #sql: Sql;
  #waiters = new Set<() => void>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = sqlOf(ctx.storage);
    this.#sql.run("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    this.#sql.run("CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, message TEXT NOT NULL)");
  }

  /** Opens the session. */
  async open(id: string): Promise<void> {
    this.#sql.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('id', ?)", id);
    this.#sql.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('created_at', ?)", new Date().toISOString());
  }

  /** Whether the session exists. */
  async exists(): Promise<boolean> {
    return this.#sql.one("SELECT value FROM meta WHERE key = 'id'") !== undefined;
  }

  /** Appends a message; false when the session does not exist. */
  async push(message: unknown): Promise<boolean> {
    if (!(await this.exists())) return false;
    this.#sql.run("INSERT INTO messages (message) VALUES (?)", JSON.stringify(message));
    this.#sql.run("DELETE FROM messages WHERE seq <= (SELECT MAX(seq) FROM messages) - ?", MAX_MESSAGES);
    for (const wake of this.#waiters) wake();
    return true;
  }

  /** Messages after `after`, waiting up to `ms` for the first one. */
  async read(after: number, ms: number): Promise<{ messages: Relayed[]; next: number } | null> {
    if (!(await this.exists())) return null;
    let messages = this.#after(after);
    if (messages.length === 0 && ms > 0) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        this.#waiters.add(wake);
      });
      messages = this.#after(after);
    }
    return { messages, next: messages.at(-1)?.seq ?? after };
  }

  /** Closes the session and forgets its messages. */
  async close(): Promise<boolean> {
    const existed = await this.exists();
    this.#sql.run("DELETE FROM messages");
    this.#sql.run("DELETE FROM meta");
    return existed;
  }

  #after(after: number): Relayed[] {
    return this.#sql
      .all<{ seq: number; message: string }>("SELECT seq, message FROM messages WHERE seq > ? ORDER BY seq LIMIT 1000", after)
      .map((r) => ({ seq: r.seq, message: JSON.parse(r.message) as unknown }));
  }
}

/** The relay session of an id. */
export function relayOf(env: Env, id: string): DurableObjectStub<AgtalkSession> {
  return env.AGTALK.get(env.AGTALK.idFromName(id));
}
