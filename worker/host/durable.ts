import { DEFAULT_STATE_BYTES } from "../limits.js";
import type { DurableCall } from "../sandbox/index.js";
import type { SandboxOutcome } from "../sandbox/isolate/contract.js";
import type { Sql } from "../sql.js";
import {
  checkpointHead,
  createCheckpointTables,
  nextToken,
  readCheckpoint,
  readPages,
  writeCheckpoint,
} from "./checkpoint.js";
import { appendLogs, createLogTable } from "./logs.js";
import type { AgentRecord } from "./record.js";
import { MAX_VALUE_BYTES, applyWrites, createStateTable, readState } from "./state.js";
import { MAX_PENDING_TIMERS, addTimers, createTimerTable, pendingTimers } from "./timers.js";

/**
 * Durable agents on the host side (ARCHITECTURE.md, "Durable agents"): the tables, what each
 * call into the sandbox carries, and what a handled message commits. The host calls
 * {@link commitOutcome} in the same transaction that removes the message from the mailbox.
 */
export function createDurableTables(sql: Sql): void {
  createCheckpointTables(sql);
  createStateTable(sql);
  createTimerTable(sql);
  createLogTable(sql);
}

/** Whether the agent has a checkpoint of its current version (else a start must boot it). */
export function hasCheckpoint(sql: Sql, record: AgentRecord): boolean {
  return checkpointHead(sql)?.version === record.version;
}

/**
 * The durable side of one call. A boot starts a new checkpoint epoch from fresh memory and the
 * stored state; a delivery names the checkpoint it expects. `null` when the agent has no
 * checkpoint of this version (a module deployed before checkpoints: isolate memory only).
 */
export function durableCall(sql: Sql, record: AgentRecord, boot: boolean): DurableCall | null {
  const head = checkpointHead(sql);
  const token = boot || head?.version !== record.version ? null : head.token;
  if (!boot && token === null) return null;
  return {
    token,
    next: nextToken(token),
    stateQuota: record.limits.state_bytes ?? DEFAULT_STATE_BYTES,
    maxValueBytes: MAX_VALUE_BYTES,
    maxTimers: MAX_PENDING_TIMERS,
    pendingTimers: pendingTimers(sql),
    boot,
    state: boot ? readState(sql) : [],
    checkpoint: () => readCheckpoint(sql, readState(sql)),
    pages: (from) => readPages(sql, from),
  };
}

/**
 * Keeps the logs (also of a message that trapped, with the trap as an error line) and, when the
 * agent returned, its memory checkpoint, state writes and timers. A trap or limit commits none
 * of them: the agent is as before the message.
 */
export function commitOutcome(sql: Sql, record: AgentRecord, outcome: SandboxOutcome, messageId: string | null): void {
  const lines =
    outcome.ok || outcome.kind === "transient"
      ? outcome.logs
      : [...outcome.logs, { level: 3, text: `${outcome.phase} trapped (${outcome.kind}): ${outcome.message}` }];
  appendLogs(sql, lines, messageId);
  if (!outcome.ok || !outcome.durable) return;
  writeCheckpoint(sql, outcome.durable, record.version, messageId === null);
  applyWrites(sql, outcome.durable.writes);
  addTimers(sql, outcome.durable.timers, Date.now());
}
