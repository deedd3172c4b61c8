import { startRuntime } from "../worker/local/runtime.js";
import { MAX_LIMITS } from "../worker/limits.js";
import { RuntimeClient } from "./client.js";
import { type Summary, summarize } from "./stats.js";

/** Options of {@link runLoad}. */
export type LoadOptions = {
  /** Concurrent senders, each sending one message after another. */
  senders: number;
  /** How long the senders send. */
  seconds: number;
  /** Echo agents the senders spread over (sender i sends to agent i mod agents). */
  agents: number;
  /**
   * `round-trip`: each send waits for the echo's reply (`?wait=`), latency is request→reply;
   * `fire`: each send waits only for the acknowledgement (202, in the mailbox), latency is that.
   */
  mode: "round-trip" | "fire";
  /** How long to wait for the mailboxes to drain after the senders stop. */
  drainTimeoutMs?: number;
};

/** What a load run measured. */
export type LoadResult = LoadOptions & {
  /** Messages the runtime acknowledged (202, or 200 with the reply). */
  acknowledged: number;
  /** Acknowledged messages the echo agents answered (found in the conversation logs). */
  delivered: number;
  /** Acknowledged messages never answered. */
  lost: number;
  /** Answers beyond one per message. */
  duplicates: number;
  /** Failed sends (network errors, non-2xx, a reply to another message); the first few in `errorSamples`. */
  errors: number;
  errorSamples: string[];
  /** Sum of the agents' `messages_in` (their own count of what they handled). */
  handled: number;
  /** Acknowledged messages per second of sending. */
  throughput: number;
  /** Per send, in ms (see `mode`). */
  latency: Summary;
  /** From the senders' stop until every acknowledged message was answered. */
  drainMs: number;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * N concurrent senders for T seconds against several echo agents on a running runtime (bounded:
 * one message in flight per sender, a fixed duration), then a count of what was acknowledged
 * against what was delivered, read from the conversation logs: one conversation per sender, and
 * each echo answer names the message it answers (`in_reply_to`).
 */
export async function runLoad(client: RuntimeClient, options: LoadOptions): Promise<LoadResult> {
  const { senders, seconds, agents, mode, drainTimeoutMs = 60_000 } = options;
  const run = crypto.randomUUID().slice(0, 8);
  const names = Array.from({ length: agents }, (_, i) => `load-${run}-${i}`);
  // Load agents take the runtime's maximum rates and mailbox: this measures the runtime, not the limiters.
  const { rate_per_sec, send_rate_per_sec, mailbox_depth } = MAX_LIMITS;
  for (const name of names)
    await client.deploy(name, "echo", { limits: { rate_per_sec, send_rate_per_sec, mailbox_depth } });

  const acknowledged = new Map<number, Set<string>>();
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  const fail = (why: string) => {
    errors++;
    if (errorSamples.length < 5) errorSamples.push(why);
  };
  const url = mode === "round-trip" ? "/v1/messages?wait=10000" : "/v1/messages";
  const deadline = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async (_, s) => {
      const acked = new Set<string>();
      acknowledged.set(s, acked);
      for (let i = 0; performance.now() < deadline; i++) {
        const id = `load-${run}-${s}-${i}`;
        const message = {
          performative: "inform",
          sender: `loader-${s}`,
          receiver: names[s % agents],
          conversation_id: `load-${run}-${s}`,
          message_id: id,
          reply_with: id,
          content: i,
        };
        const started = performance.now();
        try {
          const res = await client.call(url, { method: "POST", body: JSON.stringify(message) });
          const body = (await res.json()) as Record<string, unknown>;
          if (res.status !== 200 && res.status !== 202) {
            fail(`HTTP ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
            continue;
          }
          acked.add(id);
          if (mode === "round-trip" && (res.status !== 200 || body.in_reply_to !== id)) {
            fail(
              res.status === 200
                ? `reply to ${String(body.in_reply_to)} instead of ${id}`
                : `no reply to ${id} within 10 s`,
            );
            continue;
          }
          latencies.push(performance.now() - started);
        } catch (err) {
          fail(`${id}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }),
  );
  const sendSeconds = (performance.now() - t0) / 1000;
  const total = [...acknowledged.values()].reduce((n, set) => n + set.size, 0);

  // Drain: wait until every acknowledged message has its answer in its sender's conversation.
  const stopped = performance.now();
  let answers = new Map<number, string[]>();
  for (;;) {
    answers = new Map(
      await Promise.all(
        [...acknowledged.keys()].map(async (s) => {
          const log = await client.transcript(`load-${run}-${s}`);
          const replies = log
            .filter((m) => m.origin === "agent" && m.message.receiver === `loader-${s}`)
            .map((m) => String(m.message.in_reply_to));
          return [s, replies] as const;
        }),
      ),
    );
    const answered = [...acknowledged].every(([s, ids]) => [...ids].every((id) => answers.get(s)?.includes(id)));
    if (answered || performance.now() - stopped > drainTimeoutMs) break;
    await sleep(100);
  }
  const drainMs = performance.now() - stopped;
  let delivered = 0;
  let duplicates = 0;
  for (const [s, ids] of acknowledged) {
    const replies = answers.get(s) ?? [];
    const unique = new Set(replies);
    duplicates += replies.length - unique.size;
    delivered += [...ids].filter((id) => unique.has(id)).length;
  }
  const handled = (await Promise.all(names.map((name) => client.agent(name)))).reduce(
    (n, a) => n + (a?.stats.messages_in ?? 0),
    0,
  );
  for (const name of names) await client.call(`/v1/agents/${name}`, { method: "DELETE" });
  return {
    ...options,
    acknowledged: total,
    delivered,
    lost: total - delivered,
    duplicates,
    errors,
    errorSamples,
    handled,
    throughput: total / sendSeconds,
    latency: summarize(latencies),
    drainMs,
  };
}

/** Both load modes on a fresh in-memory runtime (what `npm run bench` reports). */
export async function benchLoad(
  options: Omit<LoadOptions, "mode">,
): Promise<{ roundTrip: LoadResult; fire: LoadResult }> {
  const runtime = await startRuntime({ port: 0, token: "load", persistTo: false, logLevel: "none" });
  try {
    const client = new RuntimeClient(runtime.url, runtime.token);
    const roundTrip = await runLoad(client, { ...options, mode: "round-trip" });
    const fire = await runLoad(client, { ...options, mode: "fire" });
    return { roundTrip, fire };
  } finally {
    await runtime.stop();
  }
}
