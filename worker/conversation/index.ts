import { DurableObject } from "cloudflare:workers";
import { type AclMessage, receiversOf } from "../../protocol/index.js";
import type { Env } from "../env.js";
import { RUNTIME_LIMITS } from "../limits.js";
import { type Sql, migrate, sqlOf } from "../sql.js";
import { type RefusedEntry, noteRefused, refusedEntries } from "./refused.js";
import { type TrackerState, describeTracker, track } from "./tracker.js";

/** Who put a message on the wire. */
export type Origin = "agent" | "external" | "runtime";

/** One logged message. */
export type LoggedMessage = { seq: number; at: string; origin: Origin; violation: string | null; message: AclMessage };

/** What logging a message tells the router. */
export type Logged = {
  seq: number;
  /** Already logged under this message_id (a redelivery): route it again, the mailboxes dedupe. */
  duplicate: boolean;
  /** Why the protocol does not allow this message here, if it doesn't. */
  violation: string | null;
  /** Addresses of the external parties of this conversation (their messages are logged for them). */
  externals: string[];
  /** Why the conversation refused the message (at its size or count cap): then nothing was stored. */
  full: string | null;
};

/** A conversation as the API shows it. */
export type Transcript = {
  conversation_id: string;
  protocol: string | null;
  state: string;
  violations: number;
  messages: LoggedMessage[];
  /** What the runtime refused to route into this conversation (untrusted answers of external agents), newest last. */
  refused: RefusedEntry[];
};

type Waiter = { receiver: string; after: number; resolve: (m: LoggedMessage | null) => void };

/** The conversation's tables, step by step: step `i` moves storage from schema version `i` to `i + 1`. */
const MIGRATIONS: ((sql: Sql) => void)[] = [
  (sql) => {
    sql.run(
      "CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL UNIQUE, at TEXT NOT NULL, origin TEXT NOT NULL, violation TEXT, message TEXT NOT NULL)",
    );
    sql.run("CREATE TABLE IF NOT EXISTS parties (address TEXT PRIMARY KEY)");
    sql.run(
      "CREATE TABLE IF NOT EXISTS refused (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, reason TEXT NOT NULL, excerpt TEXT)",
    );
  },
];

/**
 * Every message of one conversation, in order, with the interaction protocol's state; the
 * external parties that joined it through the HTTP API; and the waiters of `?wait=`.
 */
export class Conversation extends DurableObject<Env> {
  readonly #sql: Sql;
  #waiters = new Set<Waiter>();
  #alarmSet = false;
  #ready: boolean;
  /** Protocol state before each recent message, so {@link unlog} can take a refused message back. */
  #undo = new Map<string, TrackerState | null>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = sqlOf(ctx.storage);
    // Tables are made by the first message stored: a conversation id that never held one (a
    // refused message, a reader guessing ids) leaves no storage behind.
    this.#ready =
      this.#sql.one("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'messages'") !== undefined;
  }

  #ensureTables(): void {
    if (this.#ready) return;
    this.#ready = true;
    migrate(this.#sql, MIGRATIONS);
  }

  /** Logs a message (once per message_id) and checks it against the conversation's protocol. */
  async log(conversationId: string, message: AclMessage, origin: Origin): Promise<Logged> {
    const messageId = String(message.message_id);
    const seen = !this.#ready
      ? undefined
      : this.#sql.one<{ seq: number; violation: string | null }>(
          "SELECT seq, violation FROM messages WHERE message_id = ?",
          messageId,
        );
    if (seen)
      return { seq: seen.seq, duplicate: true, violation: seen.violation, externals: this.#externals(), full: null };
    const text = JSON.stringify(message);
    const full = this.#full(text.length);
    if (full) return { seq: 0, duplicate: false, violation: null, externals: [], full };
    this.#ensureTables();
    this.#sql.run("INSERT OR IGNORE INTO meta (key, value) VALUES ('id', ?)", conversationId);
    await this.#keepAlive();
    if (origin === "external") {
      for (const address of [message.sender, ...receiversOf({ receiver: message.reply_to })]) {
        if (typeof address === "string") this.#sql.run("INSERT OR IGNORE INTO parties (address) VALUES (?)", address);
      }
    }
    // The runtime's own answers (failure, not-understood) are logged but not policed.
    const prior = this.#tracker();
    const step = origin === "runtime" ? null : track(prior, message, Date.now());
    if (step?.ok)
      this.#sql.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('tracker', ?)", JSON.stringify(step.state));
    const violation = step && !step.ok ? step.violation : null;
    const at = new Date().toISOString();
    if (step?.ok) this.#undo.set(messageId, prior);
    if (this.#undo.size > 100) this.#undo.delete(this.#undo.keys().next().value as string);
    this.#sql.run(
      "INSERT INTO messages (message_id, at, origin, violation, message) VALUES (?, ?, ?, ?, ?)",
      messageId,
      at,
      origin,
      violation,
      text,
    );
    this.#sql.run(
      "INSERT INTO meta (key, value) VALUES ('bytes', ?) ON CONFLICT (key) DO UPDATE SET value = value + excluded.value",
      text.length,
    );
    const seq = this.#sql.one<{ seq: number }>("SELECT seq FROM messages WHERE message_id = ?", messageId)?.seq ?? 0;
    this.#wake({ seq, at, origin, violation, message });
    return { seq, duplicate: false, violation, externals: this.#externals(), full: null };
  }

  /**
   * Removes a message that no receiver took (the HTTP client was refused it): refused means not
   * stored. The protocol state goes back to what it was before, unless later messages moved it
   * on; a conversation left empty is deleted whole.
   */
  async unlog(messageId: string): Promise<void> {
    if (!this.#ready) return;
    const row = this.#sql.one<{ seq: number; message: string }>(
      "SELECT seq, message FROM messages WHERE message_id = ?",
      messageId,
    );
    if (!row) return;
    this.#sql.run("DELETE FROM messages WHERE seq = ?", row.seq);
    this.#sql.run("UPDATE meta SET value = value - ? WHERE key = 'bytes'", row.message.length);
    const last = this.#sql.one<{ seq: number }>("SELECT MAX(seq) AS seq FROM messages");
    const prior = this.#undo.get(messageId);
    if (prior !== undefined && (last?.seq ?? 0) < row.seq) {
      if (prior === null) this.#sql.run("DELETE FROM meta WHERE key = 'tracker'");
      else this.#sql.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('tracker', ?)", JSON.stringify(prior));
    }
    this.#undo.delete(messageId);
    if (last?.seq == null) await this.#forget();
  }

  /** Notes something the runtime refused to route into this conversation (kept bounded, for the transcript). */
  async noteRefused(reason: string, excerpt: unknown): Promise<void> {
    console.warn(`refused in conversation: ${reason}`);
    this.#ensureTables();
    await this.#keepAlive();
    noteRefused(this.#sql, reason, excerpt);
  }

  /** Retention: a conversation idle for {@link RUNTIME_LIMITS.conversation_idle_ms} is deleted. */
  override async alarm(): Promise<void> {
    if (!this.#ready) return;
    const last = Number(this.#sql.one<{ value: string }>("SELECT value FROM meta WHERE key = 'last_at'")?.value ?? 0);
    const due = last + RUNTIME_LIMITS.conversation_idle_ms;
    if (due > Date.now()) {
      await this.ctx.storage.setAlarm(due);
      this.#alarmSet = true;
      return;
    }
    await this.#forget();
  }

  /** Why one more message of `bytes` would pass a cap, or null. */
  #full(bytes: number): string | null {
    if (!this.#ready)
      return bytes > RUNTIME_LIMITS.conversation_bytes
        ? `the message alone is larger than a conversation's maximum of ${RUNTIME_LIMITS.conversation_bytes}`
        : null;
    const count = this.#sql.one<{ n: number }>("SELECT COUNT(*) AS n FROM messages")?.n ?? 0;
    if (count >= RUNTIME_LIMITS.conversation_messages) return `the conversation holds ${count} messages, its maximum`;
    const stored = Number(this.#sql.one<{ value: string }>("SELECT value FROM meta WHERE key = 'bytes'")?.value ?? 0);
    if (stored + bytes > RUNTIME_LIMITS.conversation_bytes)
      return `the conversation holds ${stored} bytes of messages; ${bytes} more would pass its maximum of ${RUNTIME_LIMITS.conversation_bytes}`;
    return null;
  }

  /** Records the activity and keeps the retention alarm set (one storage read per instance). */
  async #keepAlive(): Promise<void> {
    const now = Date.now();
    this.#sql.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_at', ?)", String(now));
    if (this.#alarmSet) return;
    if ((await this.ctx.storage.getAlarm()) === null)
      await this.ctx.storage.setAlarm(now + RUNTIME_LIMITS.conversation_idle_ms);
    this.#alarmSet = true;
  }

  async #forget(): Promise<void> {
    for (const waiter of this.#waiters) waiter.resolve(null);
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.#alarmSet = false;
    this.#undo.clear();
    this.#ready = false;
  }

  /** The first message after `after` addressed to `receiver`, waiting up to `ms` for it. */
  async waitFor(receiver: string, after: number, ms: number): Promise<LoggedMessage | null> {
    const found = this.#messages(after).find((m) => receiversOf(m.message).includes(receiver));
    if (found || ms <= 0) return found ?? null;
    return new Promise((resolve) => {
      const waiter: Waiter = { receiver, after, resolve };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        resolve(null);
      }, ms);
      waiter.resolve = (m) => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve(m);
      };
      this.#waiters.add(waiter);
    });
  }

  /** Every message, in order, with the protocol state. */
  async transcript(): Promise<Transcript | null> {
    if (!this.#ready) return null;
    const id = this.#sql.one<{ value: string }>("SELECT value FROM meta WHERE key = 'id'")?.value;
    if (!id) return null;
    const messages = this.#messages(0);
    const tracker = this.#tracker();
    return {
      conversation_id: id,
      protocol: tracker?.protocol ?? null,
      state: describeTracker(tracker),
      violations: messages.filter((m) => m.violation !== null).length,
      messages,
      refused: refusedEntries(this.#sql),
    };
  }

  #wake(logged: LoggedMessage): void {
    const receivers = receiversOf(logged.message);
    for (const waiter of this.#waiters) {
      if (logged.seq > waiter.after && receivers.includes(waiter.receiver)) waiter.resolve(logged);
    }
  }

  #tracker(): TrackerState | null {
    if (!this.#ready) return null;
    const row = this.#sql.one<{ value: string }>("SELECT value FROM meta WHERE key = 'tracker'");
    return row ? (JSON.parse(row.value) as TrackerState) : null;
  }

  #externals(): string[] {
    if (!this.#ready) return [];
    return this.#sql.all<{ address: string }>("SELECT address FROM parties").map((r) => r.address);
  }

  #messages(after: number): LoggedMessage[] {
    if (!this.#ready) return [];
    return this.#sql
      .all<{ seq: number; at: string; origin: string; violation: string | null; message: string }>(
        "SELECT seq, at, origin, violation, message FROM messages WHERE seq > ? ORDER BY seq",
        after,
      )
      .map((r) => ({
        seq: r.seq,
        at: r.at,
        origin: r.origin as Origin,
        violation: r.violation,
        message: JSON.parse(r.message) as AclMessage,
      }));
  }
}
