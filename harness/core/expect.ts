import type { AclMessage } from "../../protocol/index.js";
import type { Channel } from "./channel.js";
import { TestError, TestFailure } from "./errors.js";
import { describeFilter, matches, type MessageFilter } from "./filter.js";
import type { Inbound, Inbox } from "./inbox.js";
import type { Quietness, Silence, SilenceWait } from "./silence.js";

type Options = {
  inbox: Inbox;
  signal: AbortSignal;
  /** ms left in the test's budget. */
  left: () => number;
  /** False for late messages of earlier tests. */
  fresh: (item: Inbound) => boolean;
  /** The channel's quiescence, when it has one. */
  quiet?: Channel["quiet"];
  /** The run's adaptive window. */
  silence: Silence;
  /** Where each wait for silence is reported (the test's result). */
  waits: SilenceWait[];
};

/** The waiting half of the test context: `expect`, `expectNone` and `untilSilent`. */
export function expectations({ inbox, signal, left, fresh, quiet, silence, waits }: Options) {
  const wanted = (filter: MessageFilter | ((message: AclMessage) => boolean) | undefined) => (item: Inbound) =>
    fresh(item) && (!item.ok || (typeof filter === "function" ? filter(item.message) : matches(item.message, filter)));

  /** Turns an arrival that is not a message into the test's verdict. */
  const reject = (item: Extract<Inbound, { ok: false }>): never => {
    if (!item.json)
      throw new TestError(`received something that is not JSON through ${item.via}: ${item.problem}`, item.raw);
    throw new TestFailure(`received a malformed FIPA ACL message: ${item.problem}`, {
      expected: "a FIPA ACL message",
      received: item.raw,
    });
  };

  const others = (): AclMessage[] => inbox.peek().flatMap((item) => (item.ok && fresh(item) ? [item.message] : []));

  /**
   * The first item matching `match` within `timeout` ms; with quiescence the wait also ends when
   * the agent falls quiet first (then nothing more can come), which `quietFirst` reports.
   */
  async function takeOrQuiet(
    match: (item: Inbound) => boolean,
    timeout: number,
  ): Promise<{ item?: Inbound; state?: Quietness; ms: number }> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    if (quiet === undefined) return { ...optional(await inbox.take(match, { timeout, signal })), ms: ms() };
    const stop = new AbortController();
    const abort = () => stop.abort();
    signal.addEventListener("abort", abort, { once: true });
    const taking = inbox.take(match, { timeout, signal: stop.signal });
    const settled = quiet({ timeout, signal: stop.signal });
    let first: "item" | "settled";
    try {
      first = await Promise.race([taking.then(() => "item" as const), settled.then(() => "settled" as const)]);
    } finally {
      stop.abort();
      signal.removeEventListener("abort", abort);
    }
    // The take may have found a message just as the agent fell quiet: that message counts.
    const item = (await taking) ?? (first === "settled" ? await inbox.take(match, { timeout: 0 }) : undefined);
    if (item !== undefined) return { item, ms: ms() };
    return { state: await settled.catch(() => ({ status: "unknown" as const })), ms: ms() };
  }

  async function expect(
    filter?: MessageFilter | ((message: AclMessage) => boolean),
    options: { timeout?: number } = {},
  ): Promise<AclMessage> {
    const timeout = Math.min(options.timeout ?? left(), left());
    const { item, state, ms } = await takeOrQuiet(wanted(filter), timeout);
    if (item === undefined) {
      const seen = others();
      const when =
        state?.status === "quiet"
          ? `before the agent fell quiet (after ${ms} ms; nothing more can come)`
          : `within ${timeout} ms`;
      throw new TestFailure(
        seen.length === 0
          ? `no message arrived ${when}`
          : `no matching message ${when} (${seen.length} other${seen.length === 1 ? "" : "s"} arrived)`,
        {
          expected: typeof filter === "function" ? "a message of this conversation" : describeFilter(filter),
          received: seen.length === 0 ? "nothing" : seen.length === 1 ? seen[0] : seen,
        },
      );
    }
    return item.ok ? item.message : reject(item);
  }

  /**
   * The first message matching `filter` that arrives before the agent falls silent, or undefined
   * once it is silent. Silence of a hosted agent is the runtime's word (quiescence: it cannot come
   * early, and a late message is still waited for); otherwise the adaptive window, at least
   * `floor` ms. A hosted agent still busy when the test's budget runs out fails the test.
   */
  async function untilSilent(
    filter?: MessageFilter | ((message: AclMessage) => boolean),
    floor = 0,
  ): Promise<AclMessage | undefined> {
    const match = wanted(filter);
    if (quiet !== undefined) {
      const { item, state, ms } = await takeOrQuiet(match, left());
      if (item !== undefined) return item.ok ? item.message : reject(item);
      if (state?.status === "quiet") {
        waits.push({ mode: "quiescent", ms });
        return undefined;
      }
      if (state?.status === "busy") {
        throw new TestFailure(
          `the agent was still busy when the test's time ran out (${state.detail}), so its silence could not be shown`,
          { expected: "the agent quiet, with no message", received: state.detail },
        );
      }
      if (signal.aborted) return undefined;
    }
    const window = silence.window();
    window.window_ms = Math.max(window.window_ms, floor);
    waits.push(window);
    const item = await inbox.take(match, { timeout: Math.min(window.window_ms, left()), signal });
    if (item === undefined) return undefined;
    return item.ok ? item.message : reject(item);
  }

  async function expectNone(filter: MessageFilter | undefined, options: { within?: number } = {}): Promise<void> {
    const message = await untilSilent(filter, options.within);
    if (message === undefined) return;
    throw new TestFailure("expected no message before the agent fell silent, but one arrived", {
      expected: filter === undefined ? "no message at all" : { none_matching: describeFilter(filter) },
      received: message,
    });
  }

  return { expect, expectNone, untilSilent };
}

function optional(item: Inbound | undefined): { item?: Inbound } {
  return item === undefined ? {} : { item };
}
