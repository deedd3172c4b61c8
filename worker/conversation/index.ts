import { DurableObject } from "cloudflare:workers";
import { type AclMessage, receiversOf } from "../../protocol/index.js";
import type { Env } from "../env.js";
import { RUNTIME_LIMITS } from "../limits.js";
import { type Sql, migrate, sqlOf } from "../sql.js";
import { type RefusedEntry, noteRefused, refusedEntries } from "./refused.js";
import { type TrackerState, describeTracker, track } from "./tracker.js";

/**
 * Conversation logs live in this many Durable Objects (log shards), each holding every
 * conversation whose id hashes to it: a conversation is not an object of its own (on local
 * workerd a new object means a new SQLite database, several milliseconds per conversation), and
 * one conversation stays in one shard, so its order and its caps are exact.
 */
export const LOG_SHARDS = 32;

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

type Waiter = { conversationId: string; receiver: string; after: number; resolve: (m: LoggedMessage | null) => void };

type MessageRow = { seq: number; at: string; origin: string; violation: string | null; message: string };

/** A log shard's tables, step by step: step `i` moves storage from schema version `i` to `i + 1`. */
const MIGRATIONS: ((sql: Sql) => void)[] = [
  (sql) => {
    sql.run(
      "CREATE TABLE IF NOT EXISTS conversations (conversation_id TEXT PRIMARY KEY, next_seq INTEGER NOT NULL, bytes INTEGER NOT NULL, tracker TEXT, last_at INTEGER NOT NULL)",
    );
    sql.run("CREATE INDEX IF NOT EXISTS conversations_by_last_at ON conversations (last_at)");
    sql.run(
      "CREATE TABLE IF NOT EXISTS messages (conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, message_id TEXT NOT NULL, at TEXT NOT NULL, origin TEXT NOT NULL, violation TEXT, message TEXT NOT NULL, PRIMARY KEY (conversation_id, seq), UNIQUE (conversation_id, message_id))",
    );
    sql.run(
      "CREATE TABLE IF NOT EXISTS parties (conversation_id TEXT NOT NULL, address TEXT NOT NULL, PRIMARY KEY (conversation_id, address))",
    );
    sql.run(
      "CREATE TABLE IF NOT EXISTS refused (seq INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id TEXT NOT NULL, at TEXT NOT NULL, reason TEXT NOT NULL, excerpt TEXT)",
    );
    sql.run("CREATE INDEX IF NOT EXISTS refused_by_conversation ON refused (conversation_id, seq)");
  },
  // 2: each conversation's message count kept beside its bytes (its cap is checked at every message).
  (sql) => {
    sql.run("ALTER TABLE conversations ADD COLUMN messages INTEGER NOT NULL DEFAULT 0");
    sql.run(
      "UPDATE conversations SET messages = (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = conversations.conversation_id)",
    );
  },
];

/**
 * A log shard: every message of its conversations, in order per conversation, with each one's
 * interaction protocol state; the external parties that joined them through the HTTP API; and the
 * waiters of `?wait=`. Every method names the conversation; {@link conversationOf} binds one.
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
    // Tables are made by the first message stored: reads of conversations that never held one
    // leave no storage behind.
    this.#ready =
      this.#sql.one("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'conversations'") !== undefined;
  }

  #ensureTables(): void {
    if (this.#ready) return;
    this.#ready = true;
    migrate(this.#sql, MIGRATIONS);
  }

  /** Logs a message (once per message_id in its conversation) and checks it against the conversation's protocol. */
  async log(conversationId: string, message: AclMessage, origin: Origin): Promise<Logged> {
    const messageId = String(message.message_id);
    const seen = !this.#ready
      ? undefined
      : this.#sql.one<{ seq: number; violation: string | null }>(
          "SELECT seq, violation FROM messages WHERE conversation_id = ? AND message_id = ?",
          conversationId,
          messageId,
        );
    if (seen)
      return {
        seq: seen.seq,
        duplicate: true,
        violation: seen.violation,
        externals: this.#externals(conversationId),
        full: null,
      };
    const text = JSON.stringify(message);
    const full = this.#full(conversationId, text.length);
    if (full) return { seq: 0, duplicate: false, violation: null, externals: [], full };
    this.#ensureTables();
    const now = Date.now();
    this.#sql.run(
      "INSERT INTO conversations (conversation_id, next_seq, bytes, tracker, last_at) VALUES (?, 1, 0, NULL, ?) ON CONFLICT (conversation_id) DO UPDATE SET last_at = excluded.last_at",
      conversationId,
      now,
    );
    await this.#keepAlive(now);
    if (origin === "external") {
      for (const address of [message.sender, ...receiversOf({ receiver: message.reply_to })]) {
        if (typeof address === "string")
          this.#sql.run(
            "INSERT OR IGNORE INTO parties (conversation_id, address) VALUES (?, ?)",
            conversationId,
            address,
          );
      }
    }
    // The runtime's own answers (failure, not-understood) are logged but not policed.
    const prior = this.#tracker(conversationId);
    const step = origin === "runtime" ? null : track(prior, message, now);
    if (step?.ok)
      this.#sql.run(
        "UPDATE conversations SET tracker = ? WHERE conversation_id = ?",
        JSON.stringify(step.state),
        conversationId,
      );
    const violation = step && !step.ok ? step.violation : null;
    const at = new Date(now).toISOString();
    const undoKey = `${conversationId}\n${messageId}`;
    if (step?.ok) this.#undo.set(undoKey, prior);
    if (this.#undo.size > 1000) this.#undo.delete(this.#undo.keys().next().value as string);
    const seq =
      this.#sql.one<{ seq: number }>(
        "UPDATE conversations SET next_seq = next_seq + 1, messages = messages + 1, bytes = bytes + ? WHERE conversation_id = ? RETURNING next_seq - 1 AS seq",
        text.length,
        conversationId,
      )?.seq ?? 0;
    this.#sql.run(
      "INSERT INTO messages (conversation_id, seq, message_id, at, origin, violation, message) VALUES (?, ?, ?, ?, ?, ?, ?)",
      conversationId,
      seq,
      messageId,
      at,
      origin,
      violation,
      text,
    );
    this.#wake(conversationId, { seq, at, origin, violation, message });
    return { seq, duplicate: false, violation, externals: this.#externals(conversationId), full: null };
  }

  /**
   * Removes a message that no receiver took (the HTTP client was refused it): refused means not
   * stored. The protocol state goes back to what it was before, unless later messages moved it
   * on; a conversation left empty is deleted whole.
   */
  async unlog(conversationId: string, messageId: string): Promise<void> {
    if (!this.#ready) return;
    const row = this.#sql.one<{ seq: number; message: string }>(
      "SELECT seq, message FROM messages WHERE conversation_id = ? AND message_id = ?",
      conversationId,
      messageId,
    );
    if (!row) return;
    this.#sql.run("DELETE FROM messages WHERE conversation_id = ? AND seq = ?", conversationId, row.seq);
    this.#sql.run(
      "UPDATE conversations SET bytes = bytes - ?, messages = messages - 1 WHERE conversation_id = ?",
      row.message.length,
      conversationId,
    );
    const last = this.#sql.one<{ seq: number | null }>(
      "SELECT MAX(seq) AS seq FROM messages WHERE conversation_id = ?",
      conversationId,
    );
    const undoKey = `${conversationId}\n${messageId}`;
    const prior = this.#undo.get(undoKey);
    if (prior !== undefined && (last?.seq ?? 0) < row.seq) {
      this.#sql.run(
        "UPDATE conversations SET tracker = ? WHERE conversation_id = ?",
        prior === null ? null : JSON.stringify(prior),
        conversationId,
      );
    }
    this.#undo.delete(undoKey);
    if (last?.seq == null) this.#forget(conversationId);
  }

  /** Notes something the runtime refused to route into a conversation (kept bounded, for the transcript). */
  async noteRefused(conversationId: string, reason: string, excerpt: unknown): Promise<void> {
    console.warn(`refused in conversation: ${reason}`);
    this.#ensureTables();
    const now = Date.now();
    this.#sql.run(
      "INSERT INTO conversations (conversation_id, next_seq, bytes, tracker, last_at) VALUES (?, 1, 0, NULL, ?) ON CONFLICT (conversation_id) DO UPDATE SET last_at = excluded.last_at",
      conversationId,
      now,
    );
    await this.#keepAlive(now);
    noteRefused(this.#sql, conversationId, reason, excerpt);
  }

  /**
   * Retention: a conversation idle for {@link RUNTIME_LIMITS.conversation_idle_ms} is deleted; the
   * alarm is then set for the next one to fall due.
   */
  override async alarm(): Promise<void> {
    this.#alarmSet = false;
    if (!this.#ready) return;
    const cutoff = Date.now() - RUNTIME_LIMITS.conversation_idle_ms;
    const idle = this.#sql.all<{ conversation_id: string }>(
      "SELECT conversation_id FROM conversations WHERE last_at <= ?",
      cutoff,
    );
    for (const { conversation_id } of idle) this.#forget(conversation_id);
    const next = this.#sql.one<{ at: number | null }>("SELECT MIN(last_at) AS at FROM conversations")?.at ?? null;
    if (next !== null) {
      await this.ctx.storage.setAlarm(next + RUNTIME_LIMITS.conversation_idle_ms);
      this.#alarmSet = true;
    }
  }

  /** Why one more message of `bytes` would pass a cap, or null. */
  #full(conversationId: string, bytes: number): string | null {
    const row = !this.#ready
      ? undefined
      : this.#sql.one<{ bytes: number; messages: number }>(
          "SELECT bytes, messages FROM conversations WHERE conversation_id = ?",
          conversationId,
        );
    if (!row)
      return bytes > RUNTIME_LIMITS.conversation_bytes
        ? `the message alone is larger than a conversation's maximum of ${RUNTIME_LIMITS.conversation_bytes}`
        : null;
    const count = row.messages;
    if (count >= RUNTIME_LIMITS.conversation_messages) return `the conversation holds ${count} messages, its maximum`;
    if (row.bytes + bytes > RUNTIME_LIMITS.conversation_bytes)
      return `the conversation holds ${row.bytes} bytes of messages; ${bytes} more would pass its maximum of ${RUNTIME_LIMITS.conversation_bytes}`;
    return null;
  }

  /** Keeps the retention alarm set (one storage read per instance; the alarm re-arms itself). */
  async #keepAlive(now: number): Promise<void> {
    if (this.#alarmSet) return;
    if ((await this.ctx.storage.getAlarm()) === null)
      await this.ctx.storage.setAlarm(now + RUNTIME_LIMITS.conversation_idle_ms);
    this.#alarmSet = true;
  }

  /** Deletes a conversation whole; its waiters get null. */
  #forget(conversationId: string): void {
    for (const waiter of this.#waiters) if (waiter.conversationId === conversationId) waiter.resolve(null);
    this.#sql.run("DELETE FROM messages WHERE conversation_id = ?", conversationId);
    this.#sql.run("DELETE FROM parties WHERE conversation_id = ?", conversationId);
    this.#sql.run("DELETE FROM refused WHERE conversation_id = ?", conversationId);
    this.#sql.run("DELETE FROM conversations WHERE conversation_id = ?", conversationId);
    const prefix = `${conversationId}\n`;
    for (const key of this.#undo.keys()) if (key.startsWith(prefix)) this.#undo.delete(key);
  }

  /** The first message after `after` addressed to `receiver`, waiting up to `ms` for it. */
  async waitFor(conversationId: string, receiver: string, after: number, ms: number): Promise<LoggedMessage | null> {
    const found = this.#messages(conversationId, after).find((m) => receiversOf(m.message).includes(receiver));
    if (found || ms <= 0) return found ?? null;
    return new Promise((resolve) => {
      const waiter: Waiter = { conversationId, receiver, after, resolve };
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

  /** Every message of a conversation, in order, with the protocol state. */
  async transcript(conversationId: string): Promise<Transcript | null> {
    if (!this.#ready) return null;
    const row = this.#sql.one<{ tracker: string | null }>(
      "SELECT tracker FROM conversations WHERE conversation_id = ?",
      conversationId,
    );
    if (!row) return null;
    const messages = this.#messages(conversationId, 0);
    const tracker = row.tracker === null ? null : (JSON.parse(row.tracker) as TrackerState | null);
    return {
      conversation_id: conversationId,
      protocol: tracker?.protocol ?? null,
      state: describeTracker(tracker),
      violations: messages.filter((m) => m.violation !== null).length,
      messages,
      refused: refusedEntries(this.#sql, conversationId),
    };
  }

  #wake(conversationId: string, logged: LoggedMessage): void {
    const receivers = receiversOf(logged.message);
    for (const waiter of this.#waiters) {
      if (waiter.conversationId === conversationId && logged.seq > waiter.after && receivers.includes(waiter.receiver))
        waiter.resolve(logged);
    }
  }

  #tracker(conversationId: string): TrackerState | null {
    if (!this.#ready) return null;
    const row = this.#sql.one<{ tracker: string | null }>(
      "SELECT tracker FROM conversations WHERE conversation_id = ?",
      conversationId,
    );
    return row?.tracker ? (JSON.parse(row.tracker) as TrackerState | null) : null;
  }

  #externals(conversationId: string): string[] {
    if (!this.#ready) return [];
    return this.#sql
      .all<{ address: string }>("SELECT address FROM parties WHERE conversation_id = ?", conversationId)
      .map((r) => r.address);
  }

  #messages(conversationId: string, after: number): LoggedMessage[] {
    if (!this.#ready) return [];
    return this.#sql
      .all<MessageRow>(
        "SELECT seq, at, origin, violation, message FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq",
        conversationId,
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

/** The log shard a conversation id belongs to (FNV-1a of the id). */
export function logShardOf(conversationId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < conversationId.length; i++) {
    h ^= conversationId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `log-${(h >>> 0) % LOG_SHARDS}`;
}
