import { DurableObject } from "cloudflare:workers";
import { type AclMessage, type RoutableMessage, receiversOf, replyTo } from "../../protocol/index.js";
import type { Env } from "../env.js";
import { type Result, failure } from "../errors.js";
import { type AgentLimits, BURST_SECONDS, DEFAULT_LIMITS, limitsOf } from "../limits.js";
import { parseRoutableChecked } from "../json.js";
import type { Logged, Origin } from "../conversation/index.js";
import { DeliveryBudget } from "../routing/budget.js";
import { noteHosted } from "../routing/hosted.js";
import { MAX_HOPS, enqueueAhead, logAll, route } from "../routing/index.js";
import { runInSandbox } from "../sandbox/index.js";
import type { SandboxOutcome } from "../sandbox/isolate/contract.js";
import { type Sql, migrate, sqlOf } from "../sql.js";
import { commitOutcome, createDurableTables, durableCall, hasCheckpoint } from "./durable.js";
import { type LogLine, readLogs, tailLogs } from "./logs.js";
import * as mailbox from "./mailbox.js";
import * as outbox from "./outbox.js";
import { Quiescence, type QuietState, quietNow } from "./quiet.js";
import { loadModule, pruneModules, storeModule } from "./modules.js";
import { OutboundMeter, RoutingStrikes } from "./budget.js";
import { type Counters, loadCounters, saveCounters } from "./counters.js";
import { TokenBucket } from "./rate.js";
import {
  type AgentRecord,
  type AgentState,
  type ModuleUpload,
  type ServiceEntry,
  type TerminationReason,
  emptyStats,
} from "./record.js";
import { type StateEntry, stateView } from "./state.js";
import { fireDue, listTimers, nextTimerAt, pendingTimers } from "./timers.js";
import { registryOf } from "../stubs.js";

/**
 * The host's tables, step by step: step `i` moves storage from schema version `i` to `i + 1`
 * (version 2 added the durable agents' checkpoint, state, timer and log tables).
 */
const MIGRATIONS: ((sql: Sql) => void)[] = [
  (sql) => {
    sql.run(
      "CREATE TABLE IF NOT EXISTS module_chunks (version INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (version, seq))",
    );
    mailbox.createMailbox(sql);
    sql.run("CREATE TABLE IF NOT EXISTS recent_conversations (conversation_id TEXT PRIMARY KEY, at TEXT NOT NULL)");
  },
  createDurableTables,
  // 3: what handled messages left to route (worker/host/outbox.ts).
  outbox.createOutbox,
];

/** A trap-only circuit breaker: this many traps within the window terminate the agent. */
const CRASH_LOOP_TRAPS = 5;
const CRASH_LOOP_WINDOW_MS = 60_000;

/** Delivery into the sandbox is retried this many times (isolate lost, restarting) before the message is dead-lettered. */
export const MAX_ATTEMPTS = 6;
const backoffMs = (attempts: number) => Math.min(30_000, 100 * 2 ** attempts);
/**
 * A queued message is delivered at once by the pump; the alarm is only the safety net that resumes
 * delivery after a crash or an eviction, so it is set this far ahead: one alarm covers every
 * message of the window, instead of a set and a fire (and an empty drain) per message.
 */
const SAFETY_NET_MS = 2_000;
/**
 * How many handled messages may wait in the outbox before the next delivery waits for routing:
 * the agent's turn does not hold its routing, but it cannot run far ahead of it either (what a
 * routing limit charges lands at most this many messages late).
 */
const OUTBOX_AHEAD = 16;

/** What {@link AgentHost.enqueue} did with a message. */
export type Enqueued =
  | { status: "queued" | "absent" | "refused" | "hop-limit" }
  /** The agent's rate limit: its bucket is empty for `retry_after_ms`. */
  | { status: "rate-limited"; retry_after_ms: number; rate_per_sec: number }
  /** Larger than the agent's `message_bytes`. */
  | { status: "too-large"; bytes: number; limit: number }
  /** The mailbox holds `depth` messages, the agent's `mailbox_depth`: nothing more is taken until it drains. */
  | { status: "full"; depth: number };

const utf8 = new TextEncoder();

/** Deploy request, validated and instrumented by the route. */
export type DeployInput = {
  name: string;
  limits: AgentLimits;
  services: ServiceEntry[];
  egress: string[];
  module: ModuleUpload;
};

/**
 * One agent: its module bytes (chunked), record, counters and mailbox, in the Durable Object's
 * own SQLite. A message is written to the mailbox before it is acknowledged and removed once the
 * agent handled it, in the transaction that writes what it emitted to the outbox (outbox.ts); the
 * outbox is routed after, in order, each row deleted once routed (at-least-once; duplicates are
 * suppressed by `message_id`), without holding the agent's next turn. Handling and lifecycle changes take turns in one serial queue, one message per
 * turn, so a hot reload waits only for the message in flight and none is lost.
 */
export class AgentHost extends DurableObject<Env> {
  readonly #sql: Sql;
  #record: AgentRecord | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #pumping = false;
  /** The alarm time last set or seen, to spare a storage round trip per message. */
  #alarmAt: number | null = null;
  /** Trap times, buckets and strikes: mirrored in SQLite (worker/host/counters.ts) at every change. */
  #traps: number[] = [];
  #bucket: TokenBucket | null = null;
  /** The buckets' levels as saved, until the buckets are made from them. */
  #saved: Pick<Counters, "bucket" | "outbound"> = { bucket: null, outbound: null };
  readonly #quiet = new Quiescence();
  /** Routing work this agent causes (worker/host/budget.ts): slowed when in debt, terminated after repeated refusals. */
  #outbound: OutboundMeter | null = null;
  #strikes = new RoutingStrikes();
  /** The outbox's router, while it runs (one at a time: rows go out in order). */
  #flushing: Promise<void> | null = null;
  /** Routing limits refused the agent once too often: it is terminated at its next turn. */
  #struck: { detail: string; cause: RoutableMessage; hops: number } | null = null;
  /** Delivery waits for the outbox to shrink below {@link OUTBOX_AHEAD}. */
  #blocked = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = sqlOf(ctx.storage);
    // An address that was never deployed gets no tables: routing to an unknown name stores nothing.
    if (this.#sql.one("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'")) {
      this.#createTables();
      const row = this.#sql.one<{ value: string }>("SELECT value FROM meta WHERE key = 'record'");
      this.#record = row ? (JSON.parse(row.value) as AgentRecord) : null;
      // Records saved before a counter existed get it at zero.
      if (this.#record) this.#record.stats = { ...emptyStats(), ...this.#record.stats };
      const counters = loadCounters(this.#sql);
      this.#traps = counters.traps;
      this.#strikes = new RoutingStrikes(counters.strikes);
      this.#saved = { bucket: counters.bucket, outbound: counters.outbound };
    }
  }

  #createTables(): void {
    migrate(this.#sql, MIGRATIONS);
  }

  /** Stores a new agent (version 1) and boots it. */
  async deploy(input: DeployInput): Promise<Result<AgentRecord>> {
    noteHosted(input.name);
    return this.#serial(async () => {
      const now = new Date().toISOString();
      this.#createTables();
      this.#sql.run("DELETE FROM module_chunks");
      storeModule(this.#sql, 1, input.module.bytes);
      this.#record = {
        name: input.name,
        version: 1,
        state: "loaded",
        termination_reason: null,
        termination_detail: null,
        limits: input.limits,
        services: input.services,
        egress: input.egress,
        module: moduleInfo(input.module),
        stats: emptyStats(),
        created_at: now,
        updated_at: now,
      };
      this.#traps = [];
      this.#bucket = null;
      this.#outbound = null;
      this.#saved = { bucket: null, outbound: null };
      this.#strikes.reset();
      this.#saveCounters();
      this.#save();
      return { ok: true, value: await this.#boot() };
    });
  }

  /** The agent record. */
  async record(): Promise<Result<AgentRecord>> {
    return this.#current();
  }

  /** The conversations this agent took part in most recently (newest first), for the dashboard. */
  async recentConversations(): Promise<string[]> {
    if (!this.#record) return [];
    return this.#sql
      .all<{ conversation_id: string }>("SELECT conversation_id FROM recent_conversations ORDER BY at DESC")
      .map((r) => r.conversation_id);
  }

  /** The agent's key-value state (durable agents), for its owner. */
  async state(): Promise<
    Result<{ entries: StateEntry[]; bytes: number; quota: number; timers: { due_at: string; tag: string }[] }>
  > {
    const record = this.#record;
    if (!record) return notFound();
    return {
      ok: true,
      value: {
        ...stateView(this.#sql, record.limits.state_bytes ?? DEFAULT_LIMITS.state_bytes),
        timers: listTimers(this.#sql),
      },
    };
  }

  /** What the agent logged (and its traps), after the cursor, at `minLevel` (0 debug .. 3 error) or above. */
  async logs(query: {
    after: number;
    minLevel: number;
    limit: number;
  }): Promise<Result<{ logs: LogLine[]; next: number }>> {
    return this.#record ? { ok: true, value: readLogs(this.#sql, query) } : notFound();
  }

  /** The newest log lines, for the dashboard. */
  async recentLogs(): Promise<LogLine[]> {
    return this.#record ? tailLogs(this.#sql, 50) : [];
  }

  #remember(conversationId: string): void {
    this.#sql.run(
      "INSERT OR REPLACE INTO recent_conversations (conversation_id, at) VALUES (?, ?)",
      conversationId,
      new Date().toISOString(),
    );
    this.#sql.run(
      "DELETE FROM recent_conversations WHERE conversation_id NOT IN (SELECT conversation_id FROM recent_conversations ORDER BY at DESC LIMIT 20)",
    );
  }

  /** Waits up to `waitMs` until the agent has nothing more to say (see quiet.ts). */
  async quiet(waitMs: number): Promise<Result<QuietState>> {
    if (!this.#record) return notFound();
    const check = (waited: number) =>
      quietNow(
        this.#sql,
        { state: this.#record?.state ?? "failed", timers: this.#pendingTimers(), outbox: outbox.depth(this.#sql) },
        waited,
      );
    return { ok: true, value: await this.#quiet.until(check, waitMs) };
  }

  /** Timers set by the agent that have not fired: the one place quiescence counts them. */
  #pendingTimers(): number {
    return this.#record ? pendingTimers(this.#sql) : 0;
  }

  /** Messages that could not be delivered. */
  async deadLetters(): Promise<Result<mailbox.DeadLetter[]>> {
    return this.#record ? { ok: true, value: mailbox.deadLetters(this.#sql) } : notFound();
  }

  /**
   * Hot reload: the agent drains (the message in flight finishes on the old version), then the
   * new version is stored and booted; queued messages run on it.
   */
  async reload(module: ModuleUpload): Promise<Result<AgentRecord>> {
    const current = this.#record;
    if (!current) return notFound();
    const resumeAs: AgentState = current.state === "stopped" ? "stopped" : "running";
    if (current.state === "running") await this.#setState("draining");
    return this.#serial(async () => {
      const record = this.#record;
      if (!record) return notFound();
      const version = record.version + 1;
      storeModule(this.#sql, version, module.bytes);
      Object.assign(record, {
        version,
        module: moduleInfo(module),
        termination_reason: null,
        termination_detail: null,
      });
      this.#traps = [];
      this.#saveCounters();
      pruneModules(this.#sql, version);
      await this.#setState(resumeAs === "stopped" ? "stopped" : "loaded");
      if (resumeAs === "stopped") return { ok: true, value: record };
      const booted = await this.#boot();
      this.#pump();
      return { ok: true, value: booted };
    });
  }

  /** Stops the agent after the message in flight; messages sent meanwhile wait in the mailbox. */
  async stop(): Promise<Result<AgentRecord>> {
    if (!this.#record) return notFound();
    return this.#serial(async () => {
      await this.#setState("stopped");
      return this.#current();
    });
  }

  /** Starts a stopped or failed agent (a failed one gets a fresh isolate); waiting messages are delivered. */
  async start(): Promise<Result<AgentRecord>> {
    if (!this.#record) return notFound();
    const result = await this.#serial(async (): Promise<Result<AgentRecord>> => {
      const record = this.#record;
      if (!record) return notFound();
      if (record.state === "running") return { ok: true, value: record };
      record.termination_reason = null;
      record.termination_detail = null;
      this.#traps = [];
      this.#strikes.reset();
      this.#saveCounters();
      // A stopped agent with a checkpoint of this version resumes where it was; others boot afresh.
      if (record.state === "stopped" && hasCheckpoint(this.#sql, record)) {
        await this.#setState("running");
        return { ok: true, value: record };
      }
      await this.#setState("loaded");
      return { ok: true, value: await this.#boot() };
    });
    this.#pump();
    return result;
  }

  /** Deletes everything this agent stored; messages still waiting are answered with `failure`. */
  async destroy(): Promise<Result<null>> {
    const record = this.#record;
    if (!record) return notFound();
    return this.#serial(async () => {
      // What the agent sent before goes out first; the answers below are routed directly, as the
      // outbox is deleted with everything else.
      await this.#outboxRouted();
      const waiting = mailbox.pendingAll(this.#sql);
      this.#record = null;
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      for (const pending of waiting) {
        const reply = failureOf(
          record,
          JSON.parse(pending.text) as RoutableMessage,
          `agent \`${record.name}\` was deleted before it handled the message`,
        );
        await route(this.env, reply, { origin: "runtime", hops: pending.hops + 1, egress: [] });
      }
      return { ok: true, value: null };
    });
  }

  /**
   * Takes a message into the mailbox (durably, before returning): `absent` when no agent lives
   * here. A message that breaks its conversation's protocol (`violation`) or went around too many
   * agents is refused. A failed agent answers at once with `failure` instead of letting the
   * sender hang. A message larger than the agent's `message_bytes`, or beyond its rate limit (a
   * token bucket: `rate_per_sec`, holding {@link BURST_SECONDS} seconds of it), is not taken: the
   * router answers the sender. A duplicate (`message_id` already queued or delivered) is
   * acknowledged and dropped without costing a token. Each receiver of a multicast gets the
   * message addressed to itself alone (FIPA's per-receiver envelope), so an agent can tell its
   * own name.
   */
  async enqueue(message: RoutableMessage, hops: number, violation: boolean): Promise<Enqueued> {
    const record = this.#record;
    if (!record) return { status: "absent" };
    if (violation) return { status: "refused" };
    if (hops >= MAX_HOPS) return { status: "hop-limit" };
    if (record.state === "failed") {
      // No failure about a failure: the runtime's own notices (bounces) to a failed agent are kept
      // in its dead letters, not answered.
      if (message.x_agtest_origin === "runtime") {
        const id = String(message.message_id);
        if (!mailbox.known(this.#sql, id)) mailbox.bury(this.#sql, id, JSON.stringify(message), "agent failed");
        return { status: "queued" };
      }
      this.#answer(
        record,
        message,
        hops,
        `agent \`${record.name}\` is failed (${record.termination_reason ?? "unknown"}); start it again`,
      );
      return { status: "queued" };
    }
    const id = String(message.message_id);
    if (mailbox.known(this.#sql, id)) return { status: "queued" };
    const text = JSON.stringify(message);
    const bytes = utf8.encode(text).byteLength;
    if (bytes > record.limits.message_bytes) return { status: "too-large", bytes, limit: record.limits.message_bytes };
    const cap = limitsOf(record.limits).mailbox_depth;
    if (mailbox.depth(this.#sql) >= cap) return { status: "full", depth: cap };
    const now = Date.now();
    const rate = record.limits.rate_per_sec ?? DEFAULT_LIMITS.rate_per_sec;
    this.#bucket ??= new TokenBucket(rate, rate * BURST_SECONDS, now, savedAt(this.#saved.bucket, rate));
    const wait = this.#bucket.take(now);
    this.#saveCounters();
    if (wait > 0) return { status: "rate-limited", retry_after_ms: wait, rate_per_sec: rate };
    if (mailbox.enqueue(this.#sql, id, text, hops, now)) {
      await this.#ensureAlarm(now + SAFETY_NET_MS);
      this.#pump();
    }
    return { status: "queued" };
  }

  /** {@link enqueue} for several messages in one call (a sender's batch), in their order. */
  async enqueueMany(items: { message: RoutableMessage; hops: number; violation: boolean }[]): Promise<Enqueued[]> {
    const out: Enqueued[] = [];
    for (const item of items) out.push(await this.enqueue(item.message, item.hops, item.violation));
    return out;
  }

  /** The alarm resumes delivery after a restart or a backoff. */
  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    this.#flush();
    await this.#drain();
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    this.ctx.waitUntil(this.#drain().finally(() => (this.#pumping = false)));
  }

  /** Delivers due messages one per turn of the serial queue, so lifecycle calls can slip in between. */
  async #drain(): Promise<void> {
    while (await this.#serial(() => this.#deliverOne())) {
      // keep going while messages are due and the agent runs
    }
    this.#quiet.notify();
  }

  async #deliverOne(): Promise<boolean> {
    const record = this.#record;
    if (!record) return false;
    const struck = this.#struck;
    if (struck) {
      this.#struck = null;
      if (record.state === "failed") return true;
      // The agent was slowed and refused and kept going: ended, then its message answered.
      await this.#terminate("RoutingLimitExceeded", struck.detail);
      this.#answer(record, struck.cause, struck.hops, `RoutingLimitExceeded: ${struck.detail}`);
      this.#save();
      return true;
    }
    if (record.state !== "running" && record.state !== "draining") return false;
    if (outbox.depth(this.#sql) >= OUTBOX_AHEAD) {
      this.#blocked = true;
      return false;
    }
    // Due timers become mailbox messages (one synchronous step: pending or queued, never both).
    fireDue(this.#sql, Date.now(), record.name);
    const pending = mailbox.head(this.#sql);
    if (!pending) {
      const timerAt = nextTimerAt(this.#sql);
      if (timerAt !== null) await this.#ensureAlarm(timerAt);
      return false;
    }
    const now = Date.now();
    if (pending.next_at > now) {
      await this.#ensureAlarm(pending.next_at);
      return false;
    }
    // Slowed: an agent that caused more deliveries than its send rate waits until it is out of debt.
    const slowed = this.#outbound?.waitMs(now) ?? 0;
    if (slowed > 0) {
      record.stats.throttled++;
      await this.#ensureAlarm(now + slowed);
      return false;
    }
    const message = JSON.parse(pending.text) as RoutableMessage;
    const outcome = await this.#run(pending.text);
    if (!outcome.ok && outcome.kind === "transient") {
      if (pending.attempts + 1 >= MAX_ATTEMPTS) {
        mailbox.bury(
          this.#sql,
          pending.message_id,
          pending.text,
          `not delivered after ${MAX_ATTEMPTS} attempts: ${outcome.message}`,
        );
        this.#answer(
          record,
          message,
          pending.hops,
          `agent \`${record.name}\` could not take the message: ${outcome.message}`,
        );
        return true;
      }
      const at = now + backoffMs(pending.attempts);
      mailbox.retryLater(this.#sql, pending, at);
      await this.#ensureAlarm(at);
      return false;
    }
    const { terminated, work } = this.#settle(record, message, pending, outcome);
    // The checkpoint, state writes, timers and logs land with the message's removal, atomically,
    // and so does what is left to route: the turn ends here, the outbox's router sends it on.
    this.ctx.storage.transactionSync(() => {
      commitOutcome(this.#sql, record, outcome, pending.message_id);
      mailbox.settle(this.#sql, pending);
      for (const item of work) outbox.push(this.#sql, item, pending.hops + 1);
    });
    if (work.length > 0) this.#flush();
    if (terminated) {
      await this.#terminate(terminated.reason, terminated.detail);
      // Answered only once the agent is failed: whoever reads the answer, then the record, sees it failed.
      this.#answer(record, message, pending.hops, `${terminated.reason}: ${terminated.detail}`);
    }
    this.#save();
    return true;
  }

  /** Keeps an alarm at or before `at` (a safety net: after a crash, the alarm resumes delivery). */
  async #ensureAlarm(at: number): Promise<void> {
    if (this.#alarmAt !== null && this.#alarmAt <= at && this.#alarmAt > Date.now() - 60_000) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
    this.#alarmAt = current === null || current > at ? at : current;
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #current(): Result<AgentRecord> {
    const record = this.#record;
    if (!record) return notFound();
    record.stats.mailbox_depth = mailbox.depth(this.#sql);
    return { ok: true, value: record };
  }

  #run(text: string | null): Promise<SandboxOutcome> {
    const record = this.#record as AgentRecord;
    const { version } = record;
    const key = { name: record.name, version, digest: record.module.sha256 };
    const durable = durableCall(this.#sql, record, text === null);
    return runInSandbox(
      this.env.LOADER,
      key,
      record.limits,
      () => loadModule(this.#sql, version),
      text,
      durable,
      this.env.AGTEST_FRESH_ISOLATES === "1",
    );
  }

  /** Boots the current version: instantiates it and runs `init`. */
  async #boot(): Promise<AgentRecord> {
    const record = this.#record as AgentRecord;
    const outcome = await this.#run(null);
    // A boot's checkpoint replaces the previous version's memory (state and timers stay).
    this.ctx.storage.transactionSync(() => commitOutcome(this.#sql, record, outcome, null));
    if (!outcome.ok) {
      const reason =
        outcome.kind === "cpu" ? "CpuLimitExceeded" : outcome.kind === "memory" ? "MemoryLimitExceeded" : "InitFailed";
      await this.#terminate(reason, `${outcome.phase}: ${outcome.message}`);
      return record;
    }
    await this.#setState("running");
    return record;
  }

  /**
   * What a handled message leaves to route (as the agent itself: what it emitted; as the runtime:
   * the sender's `failure` when the agent failed the message), to be written with the message's
   * removal; and the termination when the failure ends the agent (the caller answers then).
   */
  #settle(
    record: AgentRecord,
    message: RoutableMessage,
    pending: mailbox.Pending,
    outcome: SandboxOutcome,
  ): { terminated: { reason: TerminationReason; detail: string } | null; work: outbox.OutboxWork[] } {
    const work: outbox.OutboxWork[] = [];
    const answer = (reason: string) => work.push({ kind: "answer", reply: failureOf(record, message, reason) });
    const stats = record.stats;
    stats.messages_in++;
    if (message.conversation_id != null) this.#remember(String(message.conversation_id));
    stats.last_message_at = new Date().toISOString();
    stats.rejected_sends += outcome.rejected ?? 0;
    const emitted = outcome.sent.flatMap((text, i) => {
      const parsed = parseRoutableChecked(text);
      if (!parsed.ok) {
        stats.rejected_sends++;
        return [];
      }
      // An agent speaks only as itself: a spoofed sender is rewritten, and it cannot pass for the
      // runtime (`x_agtest_origin` is the runtime's mark). Ids are derived from the message being
      // handled, so a redelivery after a crash emits the same ids and is deduplicated.
      const derived = `${pending.message_id}/${record.name}/${i}`;
      const { x_agtest_origin: _forged, ...fields } = parsed.message;
      const out: RoutableMessage = { ...fields, sender: record.name, message_id: parsed.message.message_id ?? derived };
      out.conversation_id ??= `c-${derived}`;
      return [out];
    });
    stats.messages_out += emitted.length;
    // The deliveries they will cause are charged now, so that an amplifying agent is slowed at its
    // very next message, not only once its routing caught up; the router settles the difference.
    if (emitted.length > 0)
      work.push({ kind: "sends", messages: emitted, cause: message, charged: this.#precharge(record, emitted) });
    if (outcome.ok) {
      stats.fuel_used += outcome.fuelUsed;
      if (outcome.rc !== 0) {
        stats.failures++;
        answer(`agent returned ${outcome.rc} from handle`);
      }
      return { terminated: null, work };
    }
    stats.failures++;
    stats.traps++;
    const reason: TerminationReason | null =
      outcome.kind === "cpu"
        ? "CpuLimitExceeded"
        : outcome.kind === "memory"
          ? "MemoryLimitExceeded"
          : this.#crashLoop();
    // A fatal trap is answered by the caller, after the agent is marked failed.
    if (reason) return { terminated: { reason, detail: outcome.message }, work };
    answer(`agent trapped: ${outcome.message}`);
    return { terminated: null, work };
  }

  /** Starts the outbox's router unless it runs; a run that failed leaves the rest to the alarm. */
  #flush(): void {
    if (this.#flushing) return;
    let failed = false;
    const run = this.#routeOutbox()
      .catch((err: unknown) => {
        failed = true;
        console.error(`agent host: routing the outbox failed (the alarm retries): ${String(err)}`);
      })
      .finally(() => {
        this.#flushing = null;
        if (!failed && this.#record && outbox.depth(this.#sql) > 0) this.#flush();
        else this.#quiet.notify();
      });
    this.#flushing = run;
    this.ctx.waitUntil(run);
  }

  /**
   * Routes the outbox's rows in order, each deleted once routed. A batch of rows is logged first
   * (different conversations at once), then delivered row by row in order, so order per
   * sender→receiver pair holds and a redelivery after a crash logs duplicates, which the log drops.
   */
  async #routeOutbox(): Promise<void> {
    for (;;) {
      const record = this.#record;
      if (!record) return;
      const rows = outbox.oldest(this.#sql, OUTBOX_AHEAD);
      if (rows.length === 0) return;
      // The safety net: a crash while rows wait resumes them.
      await this.#ensureAlarm(Date.now() + SAFETY_NET_MS);
      const logged = await logAll(
        this.env,
        rows.flatMap((row): { message: RoutableMessage; origin: Origin }[] =>
          row.work.kind === "answer"
            ? [{ message: row.work.reply, origin: "runtime" }]
            : row.work.messages.map((message) => ({ message, origin: "agent" })),
        ),
      );
      // A row's sends are taken ahead only when its delivery budget holds them all and their
      // bounces (one each: a single address to reply to), so none of them can be refused later.
      const budgetOf = limitsOf(record.limits).deliveries_per_message;
      const taken = await enqueueAhead(
        this.env,
        rows
          .flatMap((row) => {
            if (row.work.kind === "answer") return [{ message: row.work.reply, hops: row.hops, ahead: false }];
            const ahead =
              row.work.messages.length * 2 <= budgetOf &&
              row.work.messages.every((m) => receiversOf({ receiver: m.reply_to }).length <= 1);
            return row.work.messages.map((message) => ({ message, hops: row.hops, ahead }));
          })
          .map((item, i) => ({ ...item, logged: logged[i] as Logged })),
      );
      let at = 0;
      for (const row of rows) {
        if (row.work.kind === "answer") {
          await route(this.env, row.work.reply, { origin: "runtime", hops: row.hops, egress: [] }, logged[at++]);
        } else {
          const mine = logged.slice(at, at + row.work.messages.length);
          const ahead = taken.slice(at, at + row.work.messages.length);
          at += row.work.messages.length;
          const limited = await this.#routeMetered(record, row.work.messages, row.hops, row.work.charged, mine, ahead);
          if (limited && !this.#struck) this.#struck = { detail: limited, cause: row.work.cause, hops: row.hops - 1 };
        }
        outbox.done(this.#sql, row.seq);
        if (this.#struck || (this.#blocked && outbox.depth(this.#sql) < OUTBOX_AHEAD)) {
          this.#blocked = false;
          this.#pump();
        }
      }
      // The stats the batch changed (rejected sends), once per batch.
      if (this.#record) this.#save();
    }
  }

  /** Waits until the outbox is empty (or its router failed: then what is left stays for the alarm). */
  async #outboxRouted(): Promise<void> {
    for (let tries = 0; tries < 3 && outbox.depth(this.#sql) > 0; tries++) {
      this.#flush();
      await this.#flushing;
    }
  }

  /**
   * Routes what the agent emitted within its delivery budget and charges its outbound meter;
   * returns why the agent is to be terminated once routing limits refused it too often.
   */
  async #routeMetered(
    record: AgentRecord,
    emitted: RoutableMessage[],
    hops: number,
    charged: number,
    logged: Logged[],
    taken: (Enqueued | undefined)[],
  ): Promise<string | null> {
    const limits = limitsOf(record.limits);
    const budget = new DeliveryBudget(limits.deliveries_per_message);
    let limited = 0;
    for (const [i, out] of emitted.entries()) {
      const before = budget.refused;
      const ahead = taken[i];
      const ctx = { origin: "agent" as const, hops, egress: record.egress, budget, ...(ahead ? { taken: ahead } : {}) };
      const routed = await route(this.env, out, ctx, logged[i]);
      if (routed.full !== null || budget.refused > before) record.stats.rejected_sends++;
      limited += routed.limited;
    }
    const now = Date.now();
    this.#meter(record, now).charge(budget.used - charged, now);
    const struck = limited > 0 && this.#strikes.strike(now);
    this.#saveCounters();
    if (!struck) return null;
    return `routing limits refused ${limited} deliveries of one message, the last of repeated refusals (delivery budget ${limits.deliveries_per_message} per message, send rate ${limits.send_rate_per_sec}/s, receivers' rate and mailbox caps, conversation caps)`;
  }

  /** The agent's outbound meter, made from its saved level at first use. */
  #meter(record: AgentRecord, now: number): OutboundMeter {
    const rate = limitsOf(record.limits).send_rate_per_sec;
    this.#outbound ??= new OutboundMeter(rate, now, savedAt(this.#saved.outbound, rate));
    return this.#outbound;
  }

  /** Charges the deliveries `emitted` will cause at least (its receivers, within the delivery budget); returns the charge. */
  #precharge(record: AgentRecord, emitted: RoutableMessage[]): number {
    const receivers = emitted.reduce((n, m) => n + receiversOf(m).length, 0);
    const charge = Math.min(limitsOf(record.limits).deliveries_per_message, receivers);
    const now = Date.now();
    // Saved with the router's own charge (a crash before it forgets this one: the row is charged then).
    this.#meter(record, now).charge(charge, now);
    return charge;
  }

  /** Answers the sender of `message` with a `failure` from this agent, through the outbox. */
  #answer(record: AgentRecord, message: AclMessage, hops: number, reason: string, budget?: DeliveryBudget): void {
    if (budget && !budget.take()) return; // kept in the dead letters, not answered: a termination must not flood
    outbox.push(this.#sql, { kind: "answer", reply: failureOf(record, message, reason) }, hops + 1);
    this.#flush();
  }

  /** Counts a trap; returns `CrashLoop` once the breaker opens. */
  #crashLoop(): TerminationReason | null {
    const now = Date.now();
    this.#traps = [...this.#traps.filter((t) => now - t < CRASH_LOOP_WINDOW_MS), now];
    this.#saveCounters();
    return this.#traps.length >= CRASH_LOOP_TRAPS ? "CrashLoop" : null;
  }

  async #terminate(reason: TerminationReason, detail: string): Promise<void> {
    const record = this.#record as AgentRecord;
    record.termination_reason = reason;
    record.termination_detail = detail.slice(0, 500);
    await this.#setState("failed");
    // Whatever waits behind the fatal message is answered now, not left hanging (within one
    // message's delivery budget; the rest stay in the dead letters).
    const budget = new DeliveryBudget(limitsOf(record.limits).deliveries_per_message);
    for (const pending of mailbox.pendingAll(this.#sql)) {
      mailbox.bury(this.#sql, pending.message_id, pending.text, `agent terminated: ${reason}`);
      this.#answer(
        record,
        JSON.parse(pending.text) as RoutableMessage,
        pending.hops,
        `agent \`${record.name}\` is failed (${reason})`,
        budget,
      );
    }
  }

  async #setState(state: AgentState): Promise<void> {
    const record = this.#record as AgentRecord;
    record.state = state;
    this.#save();
    await registryOf(this.env).upsert({
      name: record.name,
      version: record.version,
      state,
      services: record.services,
      created_at: record.created_at,
      updated_at: record.updated_at,
    });
  }

  #saveCounters(): void {
    if (!this.#record) return;
    const level = (b: TokenBucket | OutboundMeter | null, saved: Counters["bucket"]): Counters["bucket"] =>
      b ? { rate: b.rate, ...b.state } : saved;
    saveCounters(this.#sql, {
      traps: this.#traps,
      strikes: this.#strikes.state,
      bucket: level(this.#bucket, this.#saved.bucket),
      outbound: level(this.#outbound, this.#saved.outbound),
    });
  }

  #save(): void {
    const record = this.#record as AgentRecord;
    record.updated_at = new Date().toISOString();
    record.stats.mailbox_depth = mailbox.depth(this.#sql);
    this.#sql.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('record', ?)", JSON.stringify(record));
  }
}

/** A `failure` from `record`'s agent to the sender of `message`, marked as written by the runtime. */
function failureOf(record: AgentRecord, message: AclMessage, reason: string): RoutableMessage {
  return {
    ...replyTo(message, "failure", { content: reason }),
    sender: record.name,
    receiver: (message.reply_to ?? message.sender) as string | string[],
    message_id: `${String(message.message_id)}/${record.name}/failure`,
    x_agtest_origin: "runtime",
  };
}

function moduleInfo(module: ModuleUpload): AgentRecord["module"] {
  return {
    bytes: module.originalBytes,
    instrumented_bytes: module.bytes.byteLength,
    sha256: module.sha256,
    has_init: module.hasInit,
  };
}

/** A saved bucket level, if it was saved for this rate (a changed rate starts afresh). */
function savedAt(saved: Counters["bucket"], rate: number): { tokens: number; at: number } | undefined {
  return saved && saved.rate === rate ? { tokens: saved.tokens, at: saved.at } : undefined;
}

function notFound<T>(): Result<T> {
  return failure("AGENT_NOT_FOUND", "no such agent");
}
