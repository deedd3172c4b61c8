import { DurableObject } from "cloudflare:workers";
import { type AclMessage, receiversOf } from "../../protocol/index.js";
import type { Env } from "../env.js";
import { type Sql, sqlOf } from "../sql.js";
import { type TrackerState, describeTracker, track } from "./tracker.js";

const SCHEMA_VERSION = 1;

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
};

/** A conversation as the API shows it. */
export type Transcript = {
  conversation_id: string;
  protocol: string | null;
  state: string;
  violations: number;
  messages: LoggedMessage[];
};

type Waiter = { receiver: string; after: number; resolve: (m: LoggedMessage | null) => void };

/**
 * Every message of one conversation, in order, with the interaction protocol's state; the
 * external parties that joined it through the HTTP API; and the waiters of `?wait=`.
 */
export class Conversation extends DurableObject<Env> {
  readonly #sql: Sql;
  #waiters = new Set<Waiter>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = sqlOf(ctx.storage);
    this.#sql.run("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    this.#sql.run(
      "CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL UNIQUE, at TEXT NOT NULL, origin TEXT NOT NULL, violation TEXT, message TEXT NOT NULL)",
    );
    this.#sql.run("CREATE TABLE IF NOT EXISTS parties (address TEXT PRIMARY KEY)");
    this.#sql.run("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", String(SCHEMA_VERSION));
  }

  /** Logs a message (once per message_id) and checks it against the conversation's protocol. */
  async log(conversationId: string, message: AclMessage, origin: Origin): Promise<Logged> {
    const messageId = String(message.message_id);
    const seen = this.#sql.one<{ seq: number; violation: string | null }>("SELECT seq, violation FROM messages WHERE message_id = ?", messageId);
    if (seen) return { seq: seen.seq, duplicate: true, violation: seen.violation, externals: this.#externals() };
    this.#sql.run("INSERT OR IGNORE INTO meta (key, value) VALUES ('id', ?)", conversationId);
    if (origin === "external") {
      for (const address of [message.sender, ...receiversOf({ receiver: message.reply_to })]) {
        if (typeof address === "string") this.#sql.run("INSERT OR IGNORE INTO parties (address) VALUES (?)", address);
      }
    }
    // The runtime's own answers (failure, not-understood) are logged but not policed.
    const step = origin === "runtime" ? null : track(this.#tracker(), message, Date.now());
    if (step?.ok) this.#sql.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('tracker', ?)", JSON.stringify(step.state));
    const violation = step && !step.ok ? step.violation : null;
    const at = new Date().toISOString();
    this.#sql.run(
      "INSERT INTO messages (message_id, at, origin, violation, message) VALUES (?, ?, ?, ?, ?)",
      messageId,
      at,
      origin,
      violation,
      JSON.stringify(message),
    );
    const seq = this.#sql.one<{ seq: number }>("SELECT seq FROM messages WHERE message_id = ?", messageId)?.seq ?? 0;
    this.#wake({ seq, at, origin, violation, message });
    return { seq, duplicate: false, violation, externals: this.#externals() };
  }

  /** Whether an address is an external party of this conversation. */
  async isExternal(address: string): Promise<boolean> {
    return this.#externals().includes(address);
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
    };
  }

  #wake(logged: LoggedMessage): void {
    const receivers = receiversOf(logged.message);
    for (const waiter of this.#waiters) {
      if (logged.seq > waiter.after && receivers.includes(waiter.receiver)) waiter.resolve(logged);
    }
  }

  #tracker(): TrackerState | null {
    const row = this.#sql.one<{ value: string }>("SELECT value FROM meta WHERE key = 'tracker'");
    return row ? (JSON.parse(row.value) as TrackerState) : null;
  }

  #externals(): string[] {
    return this.#sql.all<{ address: string }>("SELECT address FROM parties").map((r) => r.address);
  }

  #messages(after: number): LoggedMessage[] {
    return this.#sql
      .all<{ seq: number; at: string; origin: string; violation: string | null; message: string }>(
        "SELECT seq, at, origin, violation, message FROM messages WHERE seq > ? ORDER BY seq",
        after,
      )
      .map((r) => ({ seq: r.seq, at: r.at, origin: r.origin as Origin, violation: r.violation, message: JSON.parse(r.message) as AclMessage }));
  }
}

/** The conversation of an id. */
export function conversationOf(env: Env, id: string): DurableObjectStub<Conversation> {
  return env.CONVERSATION.get(env.CONVERSATION.idFromName(id));
}
