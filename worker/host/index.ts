import { DurableObject } from "cloudflare:workers";
import {
  type AclMessage,
  type RoutableMessage,
  newMessageId,
  parseRoutableText,
  replyTo,
} from "../../protocol/index.js";
import type { Env } from "../env.js";
import { type Result, failure } from "../errors.js";
import type { AgentLimits } from "../limits.js";
import { registryOf } from "../registry/index.js";
import { type SandboxOutcome, runInSandbox } from "../sandbox/index.js";
import { type Sql, sqlOf } from "../sql.js";
import { loadModule, pruneModules, storeModule } from "./modules.js";
import {
  type AgentRecord,
  type AgentState,
  type ModuleUpload,
  type ServiceEntry,
  type TerminationReason,
  emptyStats,
} from "./record.js";

const SCHEMA_VERSION = 1;

/** A trap-only circuit breaker: this many traps within the window terminate the agent. */
const CRASH_LOOP_TRAPS = 5;
const CRASH_LOOP_WINDOW_MS = 60_000;

/** What happened to one delivered message. */
export type Delivery = {
  message_id: string;
  outcome: "handled" | "failed" | "terminated";
  /** Messages the agent emitted (sender set to the agent), or the runtime's `failure` to the sender. */
  replies: AclMessage[];
  /** Emitted messages the runtime refused (invalid), with the reason. */
  rejected: { text: string; reason: string }[];
  logs: { level: number; text: string }[];
};

/** Deploy request, validated and instrumented by the route. */
export type DeployInput = {
  name: string;
  limits: AgentLimits;
  services: ServiceEntry[];
  egress: string[];
  module: ModuleUpload;
};

/**
 * One agent: its module bytes (chunked), its record and counters, in the Durable Object's own
 * SQLite. Messages and lifecycle changes go through one serial queue, so a hot reload waits for
 * the message in flight and every later message runs on the new version: none is lost.
 */
export class AgentHost extends DurableObject<Env> {
  readonly #sql: Sql;
  #record: AgentRecord | null;
  #queue: Promise<unknown> = Promise.resolve();
  #traps: number[] = [];

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = sqlOf(ctx.storage);
    this.#sql.run("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    this.#sql.run(
      "CREATE TABLE IF NOT EXISTS module_chunks (version INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (version, seq))",
    );
    this.#sql.run("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", String(SCHEMA_VERSION));
    const row = this.#sql.one<{ value: string }>("SELECT value FROM meta WHERE key = 'record'");
    this.#record = row ? (JSON.parse(row.value) as AgentRecord) : null;
  }

  /** Stores a new agent (version 1) and boots it. */
  async deploy(input: DeployInput): Promise<Result<AgentRecord>> {
    return this.#serial(async () => {
      const now = new Date().toISOString();
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
      await this.#save();
      return { ok: true, value: await this.#boot() };
    });
  }

  /** The agent record. */
  async record(): Promise<Result<AgentRecord>> {
    const record = this.#record;
    return record ? { ok: true, value: record } : notFound();
  }

  /**
   * Hot reload: the agent drains (messages already queued finish on the old version), then the
   * new version is stored and booted, and messages queued meanwhile run on it.
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
      Object.assign(record, { version, module: moduleInfo(module), termination_reason: null, termination_detail: null });
      this.#traps = [];
      pruneModules(this.#sql, version);
      if (resumeAs === "stopped") {
        await this.#setState("stopped");
        return { ok: true, value: record };
      }
      await this.#setState("loaded");
      return { ok: true, value: await this.#boot() };
    });
  }

  /** Stops the agent after the message in flight; messages to a stopped agent are refused. */
  async stop(): Promise<Result<AgentRecord>> {
    if (!this.#record) return notFound();
    return this.#serial(async () => {
      await this.#setState("stopped");
      return this.#current();
    });
  }

  /** Starts a stopped or failed agent again (a failed one gets a fresh isolate and counters for traps). */
  async start(): Promise<Result<AgentRecord>> {
    if (!this.#record) return notFound();
    return this.#serial(async () => {
      const record = this.#record;
      if (!record) return notFound();
      if (record.state === "running") return { ok: true, value: record };
      record.termination_reason = null;
      record.termination_detail = null;
      this.#traps = [];
      await this.#setState("loaded");
      return { ok: true, value: await this.#boot() };
    });
  }

  /** Deletes everything this agent stored. */
  async destroy(): Promise<Result<null>> {
    if (!this.#record) return notFound();
    return this.#serial(async () => {
      this.#record = null;
      await this.ctx.storage.deleteAll();
      return { ok: true, value: null };
    });
  }

  /** Delivers one message to the agent and returns what it emitted. */
  async deliver(message: RoutableMessage): Promise<Result<Delivery>> {
    if (!this.#record) return notFound();
    return this.#serial(async () => {
      const record = this.#record;
      if (!record) return notFound();
      // Draining means a reload waits behind this message: it still runs, on the old version.
      if (record.state !== "running" && record.state !== "draining") {
        const why = record.termination_reason ? ` (${record.termination_reason})` : "";
        return failure(409, "AGENT_NOT_RUNNING", `agent \`${record.name}\` is ${record.state}${why}`);
      }
      const text = JSON.stringify(message);
      const outcome = await this.#run(text);
      return { ok: true, value: await this.#settle(record, message, outcome) };
    });
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #current(): Result<AgentRecord> {
    return this.#record ? { ok: true, value: this.#record } : notFound();
  }

  #run(text: string | null): Promise<SandboxOutcome> {
    const record = this.#record as AgentRecord;
    const { version } = record;
    return runInSandbox(
      this.env.LOADER,
      { name: record.name, version, digest: record.module.sha256 },
      record.limits,
      () => loadModule(this.#sql, version),
      text,
    );
  }

  /** Boots the current version: instantiates it and runs `init`. */
  async #boot(): Promise<AgentRecord> {
    const record = this.#record as AgentRecord;
    const outcome = await this.#run(null);
    if (!outcome.ok) {
      await this.#terminate(reasonFor(outcome.kind, null) ?? "InitFailed", `${outcome.phase}: ${outcome.message}`);
      return record;
    }
    await this.#setState("running");
    return record;
  }

  async #settle(record: AgentRecord, message: RoutableMessage, outcome: SandboxOutcome): Promise<Delivery> {
    const stats = record.stats;
    stats.messages_in++;
    stats.last_message_at = new Date().toISOString();
    const delivery: Delivery = {
      message_id: message.message_id ?? "",
      outcome: "handled",
      replies: [],
      rejected: [],
      logs: outcome.logs,
    };
    for (const text of outcome.sent) {
      const parsed = parseRoutableText(text);
      if (!parsed.ok) {
        delivery.rejected.push({ text, reason: parsed.error.message });
        continue;
      }
      // An agent speaks only as itself: a spoofed sender is rewritten.
      delivery.replies.push({ ...parsed.message, sender: record.name, message_id: parsed.message.message_id ?? newMessageId() });
    }
    stats.messages_out += delivery.replies.length;
    if (outcome.ok) {
      stats.fuel_used += outcome.fuelUsed;
      if (outcome.rc !== 0) {
        stats.failures++;
        delivery.outcome = "failed";
        delivery.replies.push(failureReply(record, message, `agent returned ${outcome.rc} from handle`));
      }
      await this.#save();
      return delivery;
    }
    stats.failures++;
    stats.traps++;
    const reason = reasonFor(outcome.kind, null) ?? this.#crashLoop();
    delivery.replies.push(failureReply(record, message, reason ? `${reason}: ${outcome.message}` : outcome.message));
    if (reason) {
      delivery.outcome = "terminated";
      await this.#terminate(reason, outcome.message);
    } else {
      delivery.outcome = "failed";
      await this.#save();
    }
    return delivery;
  }

  /** Counts a trap; returns `CrashLoop` once the breaker opens. */
  #crashLoop(): TerminationReason | null {
    const now = Date.now();
    this.#traps = [...this.#traps.filter((t) => now - t < CRASH_LOOP_WINDOW_MS), now];
    return this.#traps.length >= CRASH_LOOP_TRAPS ? "CrashLoop" : null;
  }

  async #terminate(reason: TerminationReason, detail: string): Promise<void> {
    const record = this.#record as AgentRecord;
    record.termination_reason = reason;
    record.termination_detail = detail.slice(0, 500);
    await this.#setState("failed");
  }

  async #setState(state: AgentState): Promise<void> {
    const record = this.#record as AgentRecord;
    record.state = state;
    await this.#save();
    await registryOf(this.env).upsert({
      name: record.name,
      version: record.version,
      state,
      services: record.services,
      created_at: record.created_at,
      updated_at: record.updated_at,
    });
  }

  async #save(): Promise<void> {
    const record = this.#record as AgentRecord;
    record.updated_at = new Date().toISOString();
    this.#sql.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('record', ?)", JSON.stringify(record));
  }
}

function reasonFor(kind: "cpu" | "memory" | "trap", otherwise: TerminationReason | null): TerminationReason | null {
  if (kind === "cpu") return "CpuLimitExceeded";
  if (kind === "memory") return "MemoryLimitExceeded";
  return otherwise;
}

function failureReply(record: AgentRecord, message: AclMessage, reason: string): AclMessage {
  return { ...replyTo(message, "failure", { content: reason }), sender: record.name, message_id: newMessageId() };
}

function moduleInfo(module: ModuleUpload): AgentRecord["module"] {
  return { bytes: module.originalBytes, instrumented_bytes: module.bytes.byteLength, sha256: module.sha256, has_init: module.hasInit };
}

function notFound<T>(): Result<T> {
  return failure(404, "AGENT_NOT_FOUND", "no such agent");
}
