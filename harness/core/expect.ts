import type { AclMessage } from "../../protocol/index.js";
import { TestError, TestFailure } from "./errors.js";
import { describeFilter, matches, type MessageFilter } from "./filter.js";
import type { Inbound, Inbox } from "./inbox.js";

type Options = {
  inbox: Inbox;
  signal: AbortSignal;
  /** ms left in the test's budget. */
  left: () => number;
  /** False for late messages of earlier tests. */
  fresh: (item: Inbound) => boolean;
};

/** The waiting half of the test context: `expect` and `expectNone`. */
export function expectations({ inbox, signal, left, fresh }: Options) {
  const wanted = (filter: MessageFilter | undefined) => (item: Inbound) =>
    fresh(item) && (!item.ok || matches(item.message, filter));

  /** Turns an arrival that is not a message into the test's verdict. */
  const reject = (item: Extract<Inbound, { ok: false }>): never => {
    if (!item.json) throw new TestError(`received something that is not JSON through ${item.via}: ${item.problem}`, item.raw);
    throw new TestFailure(`received a malformed FIPA ACL message: ${item.problem}`, { expected: "a FIPA ACL message", received: item.raw });
  };

  const others = (): AclMessage[] =>
    inbox.peek().flatMap((item) => (item.ok && fresh(item) ? [item.message] : []));

  async function expect(filter?: MessageFilter, options: { timeout?: number } = {}): Promise<AclMessage> {
    const timeout = Math.min(options.timeout ?? left(), left());
    const item = await inbox.take(wanted(filter), { timeout, signal });
    if (item === undefined) {
      const seen = others();
      throw new TestFailure(
        seen.length === 0
          ? `no message arrived within ${timeout} ms`
          : `no matching message within ${timeout} ms (${seen.length} other${seen.length === 1 ? "" : "s"} arrived)`,
        { expected: describeFilter(filter), received: seen.length === 0 ? "nothing" : seen.length === 1 ? seen[0] : seen },
      );
    }
    return item.ok ? item.message : reject(item);
  }

  async function expectNone(filter: MessageFilter | undefined, { within }: { within: number }): Promise<void> {
    const item = await inbox.take(wanted(filter), { timeout: Math.min(within, left()), signal });
    if (item === undefined) return;
    if (!item.ok) reject(item);
    else throw new TestFailure(`expected no message within ${within} ms, but one arrived`, { expected: filter === undefined ? "no message at all" : { none_matching: describeFilter(filter) }, received: item.message });
  }

  return { expect, expectNone };
}
