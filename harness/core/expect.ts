import type { AclMessage } from "../../protocol/index.js";
import type { Channel } from "./channel.js";
import { TestError, TestFailure } from "./errors.js";
import { describeFilter, matches, type MessageFilter } from "./filter.js";
import type { Inbound, Inbox } from "./inbox.js";
import type { Silence, SilenceWait } from "./silence.js";

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
    if (!item.json) throw new TestError(`received something that is not JSON through ${item.via}: ${item.problem}`, item.raw);
    throw new TestFailure(`received a malformed FIPA ACL message: ${item.problem}`, { expected: "a FIPA ACL message", received: item.raw });
  };

  const others = (): AclMessage[] =>
    inbox.peek().flatMap((item) => (item.ok && fresh(item) ? [item.message] : []));

  async function expect(filter?: MessageFilter | ((message: AclMessage) => boolean), options: { timeout?: number } = {}): Promise<AclMessage> {
    const timeout = Math.min(options.timeout ?? left(), left());
    const item = await inbox.take(wanted(filter), { timeout, signal });
    if (item === undefined) {
      const seen = others();
      throw new TestFailure(
        seen.length === 0
          ? `no message arrived within ${timeout} ms`
          : `no matching message within ${timeout} ms (${seen.length} other${seen.length === 1 ? "" : "s"} arrived)`,
        { expected: typeof filter === "function" ? "a message of this conversation" : describeFilter(filter), received: seen.length === 0 ? "nothing" : seen.length === 1 ? seen[0] : seen },
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
  async function untilSilent(filter?: MessageFilter | ((message: AclMessage) => boolean), floor = 0): Promise<AclMessage | undefined> {
    const match = wanted(filter);
    if (quiet !== undefined) {
      const started = performance.now();
      const stop = new AbortController();
      const abort = () => stop.abort();
      signal.addEventListener("abort", abort, { once: true });
      const stray = inbox.take(match, { timeout: left(), signal: stop.signal });
      const settled = quiet({ timeout: left(), signal: stop.signal });
      let first: "stray" | "settled";
      try {
        first = await Promise.race([stray.then(() => "stray" as const), settled.then(() => "settled" as const)]);
      } finally {
        stop.abort();
        signal.removeEventListener("abort", abort);
      }
      // The take may have found a message just as the agent fell quiet: that message counts.
      const item = (await stray) ?? (first === "settled" ? await inbox.take(match, { timeout: 0 }) : undefined);
      if (item !== undefined) return item.ok ? item.message : reject(item);
      const state = await settled.catch(() => ({ status: "unknown" as const }));
      if (state.status === "quiet") {
        waits.push({ mode: "quiescent", ms: Math.round(performance.now() - started) });
        return undefined;
      }
      if (state.status === "busy") {
        throw new TestFailure(`the agent was still busy when the test's time ran out (${state.detail}), so its silence could not be shown`, { expected: "the agent quiet, with no message", received: state.detail });
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
    throw new TestFailure("expected no message before the agent fell silent, but one arrived", { expected: filter === undefined ? "no message at all" : { none_matching: describeFilter(filter) }, received: message });
  }

  return { expect, expectNone, untilSilent };
}
