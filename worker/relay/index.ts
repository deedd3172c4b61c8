import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.js";
import { type Sql, sqlOf } from "../sql.js";

/** Prefix of relay session addresses; no agent may be named with it. */
export const AGTALK_PREFIX = "agtalk-";

/** How many messages a session keeps (oldest dropped first). */
const MAX_MESSAGES = 10_000;
/** How many characters of messages a session keeps (oldest dropped first): a relay cannot fill the disk. */
const MAX_CHARS = 32 * 1024 * 1024;

/** A relayed message with its sequence number: whatever JSON the sender posted, and its hop count. */
export type Relayed = { seq: number; message: unknown; hops: number };

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
    // Tables only for opened sessions: pushing to a guessed id stores nothing.
    this.#ready = this.#sql.one("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'") !== undefined;
    // Sessions opened before hop counts were kept (schema 1) get the column.
    if (this.#ready && !this.#sql.one("SELECT name FROM pragma_table_info('messages') WHERE name = 'hops'")) {
      this.#sql.run("ALTER TABLE messages ADD COLUMN hops INTEGER NOT NULL DEFAULT 0");
    }
  }

  #ready: boolean;

  /** Opens the session; `inboxUrl` is its public inbox, the URL form of its address. */
  async open(id: string, inboxUrl: string): Promise<void> {
    this.#ready = true;
    this.#sql.run("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    this.#sql.run(
      "CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, message TEXT NOT NULL, hops INTEGER NOT NULL DEFAULT 0)",
    );
    this.#sql.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('id', ?)", id);
    this.#sql.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('created_at', ?)", new Date().toISOString());
    this.#sql.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('inbox_url', ?)", inboxUrl);
  }

  /** Whether the session exists. */
  async exists(): Promise<boolean> {
    if (!this.#ready) return false;
    return this.#sql.one("SELECT value FROM meta WHERE key = 'id'") !== undefined;
  }

  /** Appends a message with its hop count (what the harness forwards keeps it); false when the session does not exist. */
  async push(message: unknown, hops = 0): Promise<boolean> {
    if (!(await this.exists())) return false;
    this.#sql.run("INSERT INTO messages (message, hops) VALUES (?, ?)", JSON.stringify(message), hops);
    this.#sql.run("DELETE FROM messages WHERE seq <= (SELECT MAX(seq) FROM messages) - ?", MAX_MESSAGES);
    const chars = this.#sql.one<{ n: number }>("SELECT SUM(LENGTH(message)) AS n FROM messages")?.n ?? 0;
    if (chars > MAX_CHARS) {
      // Oldest first, until the rest fits.
      this.#sql.run(
        "DELETE FROM messages WHERE seq <= (SELECT seq FROM (SELECT seq, SUM(LENGTH(message)) OVER (ORDER BY seq DESC) AS kept FROM messages) WHERE kept > ? ORDER BY seq DESC LIMIT 1)",
        MAX_CHARS,
      );
    }
    for (const wake of this.#waiters) wake();
    return true;
  }

  /**
   * Appends a message sent to `url` when that is exactly this session's public inbox (what a
   * hosted agent answering the harness at its relay URL does): delivered in-process like the
   * session's `agtalk-` name, never by HTTP to the runtime itself. False when it is not.
   */
  async pushAt(url: string, message: unknown, hops = 0): Promise<boolean> {
    if (!(await this.exists())) return false;
    if (this.#sql.one<{ value: string }>("SELECT value FROM meta WHERE key = 'inbox_url'")?.value !== url) return false;
    return this.push(message, hops);
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
      // The session may have been closed (its tables deleted) while this read waited.
      if (!(await this.exists())) return null;
      messages = this.#after(after);
    }
    return { messages, next: messages.at(-1)?.seq ?? after };
  }

  /** Closes the session and forgets its messages. */
  async close(): Promise<boolean> {
    const existed = await this.exists();
    if (!existed) return false;
    await this.ctx.storage.deleteAll();
    this.#ready = false;
    // Long-polls end now (they answer that the session is gone) rather than read deleted tables.
    for (const wake of this.#waiters) wake();
    return existed;
  }

  #after(after: number): Relayed[] {
    return this.#sql
      .all<{ seq: number; message: string; hops: number }>(
        "SELECT seq, message, hops FROM messages WHERE seq > ? ORDER BY seq LIMIT 1000",
        after,
      )
      .map((r) => ({ seq: r.seq, message: JSON.parse(r.message) as unknown, hops: r.hops }));
  }
}

const INBOX_PATH = /^\/v1\/agtalk\/sessions\/([0-9a-f]{32})\/inbox$/;

/** The session id a URL names when it has the path of a relay inbox (of this runtime or any other). */
export function relayInboxId(url: string): string | undefined {
  try {
    return INBOX_PATH.exec(new URL(url).pathname)?.[1];
  } catch {
    return undefined;
  }
}
