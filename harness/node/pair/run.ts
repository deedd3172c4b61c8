import type { LocalRuntime } from "../../../worker/local/runtime.js";
import {
  type AclMessage,
  type Backchannel,
  type Channel,
  type InteropProfile,
  messageBackchannel,
  openRuntimeChannel,
} from "../../core/index.js";
import {
  type Exchange,
  judgeExchange,
  oracleGaps,
  type PairCell,
  type PairReport,
  type PairScenario,
  protocolMatrix,
} from "../../core/pair/index.js";
import { deployAgent } from "../deploy.js";
import { CliError, EXIT } from "../exit.js";
import { type PairApi, pairApi, settle } from "./runtime.js";

/** One agent of the matrix: its name in the report and its module. */
export type PairAgent = { name: string; file: string; bytes: Uint8Array<ArrayBuffer>; digest: string };

/** Options of {@link runPairs}. */
export type PairRunOptions = {
  agents: readonly PairAgent[];
  suite: string;
  scenarios: readonly PairScenario[];
  /** How long one exchange may take to fall quiet (ms). */
  timeout: number;
  /** Oracle profiles by agent name (item 5), or `null`. */
  profiles: { sources: string[]; byAgent: ReadonlyMap<string, InteropProfile> } | null;
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
};

/** The instances of an agent on the runtime: one initiator, and participants (`-p`, `-q`). */
function instances(name: string, participants: number): { initiator: string; participants: string[] } {
  const stem = name.slice(0, 60);
  return { initiator: `${stem}-i`, participants: ["p", "q", "r"].slice(0, participants).map((s) => `${stem}-${s}`) };
}

/**
 * Starts the edge runtime in this process (workerd, in memory, a free port, a random token),
 * deploys every agent as an initiator and as participants, and runs each scenario for every
 * ordered pair (an agent with itself included, as the QUIC interop runner does): the initiator
 * asked through agact messages, the exchange read back from the runtime's conversation log and
 * judged by the protocol state machines.
 */
export async function runPairs(options: PairRunOptions): Promise<PairReport> {
  const { agents, scenarios, timeout, signal } = options;
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const token = crypto.randomUUID();
  let runtime: LocalRuntime;
  try {
    const { startRuntime } = await import("../../../worker/local/runtime.js");
    runtime = await startRuntime({ port: 0, token, persistTo: false, logLevel: "error" });
  } catch (error) {
    throw new CliError(
      `could not start the embedded runtime: ${error instanceof Error ? error.message : String(error)}`,
      EXIT.unreachable,
    );
  }
  const channels: Channel[] = [];
  try {
    const api = pairApi(runtime.url, token);
    const most = Math.max(1, ...scenarios.map((s) => s.participants));
    for (const agent of agents) {
      const { initiator, participants } = instances(agent.name, most);
      for (const name of [initiator, ...participants]) {
        await deployAgent({ url: runtime.url, token, name, bytes: agent.bytes }).catch((error: unknown) => {
          throw new CliError(
            `${agent.file}: the runtime refused the agent: ${error instanceof Error ? error.message : String(error)}`,
            EXIT.unreachable,
          );
        });
      }
    }
    const backchannels = new Map<string, Backchannel>();
    for (const agent of agents) {
      const channel = await openRuntimeChannel({ url: runtime.url, token, agent: instances(agent.name, 1).initiator });
      channels.push(channel);
      backchannels.set(agent.name, messageBackchannel(channel, { timeout }));
    }
    const protocols = [];
    const gaps = [];
    for (const scenario of scenarios) {
      const raw: PairCell[] = [];
      for (const initiator of agents) {
        for (const participant of agents) {
          signal?.throwIfAborted();
          const backchannel = backchannels.get(initiator.name) as Backchannel;
          const outcome = await exchange(api, backchannel, scenario, initiator.name, participant.name, timeout, signal);
          options.onProgress?.(`${scenario.protocol}: ${initiator.name} -> ${participant.name}: ${outcome.verdict}`);
          raw.push({ initiator: initiator.name, participant: participant.name, outcome });
        }
      }
      const matrix = protocolMatrix(scenario, raw);
      protocols.push(matrix);
      if (options.profiles) gaps.push(...oracleGaps(scenario, matrix, options.profiles.byAgent));
    }
    return {
      report: "urn:agtest:pair:1",
      suite: options.suite,
      started_at: startedAt,
      duration_ms: Math.round(performance.now() - started),
      agents: agents.map((a) => ({ name: a.name, file: a.file, digest: a.digest })),
      protocols,
      oracle: options.profiles ? { profiles: options.profiles.sources, gaps } : null,
      notes: [],
    };
  } finally {
    for (const channel of channels) await channel.close().catch(() => undefined);
    await runtime.stop().catch(() => undefined);
  }
}

/** One exchange: ask the initiator, wait for everyone to fall quiet, find and judge the conversation. */
async function exchange(
  api: PairApi,
  backchannel: Backchannel,
  scenario: PairScenario,
  initiatorName: string,
  participantName: string,
  timeout: number,
  signal?: AbortSignal,
): Promise<Exchange> {
  const initiator = instances(initiatorName, 1).initiator;
  const { participants } = instances(participantName, scenario.participants);
  const before = new Set((await Promise.all([initiator, ...participants].map((p) => api.conversations(p)))).flat());
  const tag = `pair-${crypto.randomUUID().slice(0, 8)}`;
  const { action, params } = scenario.act(participants, tag);
  const asked = await backchannel.act(action, params, signal);
  if (asked.code === 127)
    return {
      verdict: "unsupported",
      by: "initiator",
      detail: `agact ${action}: ${asked.detail ?? "unsupported (127)"}`,
    };
  const fails = (rule: string, by: "initiator" | "participant" | null, detail: string): Exchange => ({
    verdict: "fails",
    rule,
    violation: false,
    by,
    detail,
  });
  if (asked.code === 1) return fails("backchannel", "initiator", `agact ${action} failed: ${asked.detail ?? "code 1"}`);
  const loud = await settle(api, [initiator, ...participants], timeout, signal);
  if (loud !== null) return fails("no-quiet", null, `${loud} did not fall quiet within ${timeout} ms`);
  const opened = [...new Set((await Promise.all(participants.map((p) => api.conversations(p)))).flat())].filter(
    (id) => !before.has(id),
  );
  for (const id of opened) {
    const log = await api.transcript(id);
    if (!log || log[0]?.message.sender !== initiator) continue;
    const outcome = judgeExchange(scenario, { initiator, participants }, id, log);
    if (outcome.verdict !== "fails" || outcome.rule !== "unfinished" || outcome.by !== "participant") return outcome;
    return (await strayAnswer(api, initiator, participants, id, log[0].message, before)) ?? outcome;
  }
  return fails(
    "no-opening",
    "initiator",
    `it agreed to agact ${action} but opened no conversation with ${participants.join(", ")}`,
  );
}

/**
 * A participant that seems never to have answered may have answered in another conversation: an
 * answer to the opening message (its `in_reply_to` is the opening's `reply_with`) under a
 * different `conversation_id`. That is the protocol rule it broke.
 */
async function strayAnswer(
  api: PairApi,
  initiator: string,
  participants: readonly string[],
  conversation: string,
  opening: AclMessage,
  before: ReadonlySet<string>,
): Promise<Exchange | undefined> {
  const replyWith = opening.reply_with;
  if (typeof replyWith !== "string") return undefined;
  // The runtime answers such a stray message itself (it opens no conversation it knows), so the
  // stray conversation is in the participant's list; the initiator's is read too.
  const lists = await Promise.all([initiator, ...participants].map((a) => api.conversations(a)));
  for (const id of new Set(lists.flat())) {
    if (id === conversation || before.has(id)) continue;
    const stray = (await api.transcript(id))?.find(
      ({ message }) =>
        typeof message.sender === "string" &&
        participants.includes(message.sender) &&
        message.in_reply_to === replyWith,
    );
    if (!stray) continue;
    return {
      verdict: "fails",
      rule: "wrong-conversation",
      violation: true,
      by: "participant",
      detail: `${stray.message.performative} from ${stray.message.sender} answers the opening message in conversation ${JSON.stringify(id)}, not ${JSON.stringify(conversation)}`,
      conversation,
    };
  }
  return undefined;
}
