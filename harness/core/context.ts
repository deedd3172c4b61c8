import { newMessageId, type AclMessage, type Performative } from "../../protocol/index.js";
import type { Backchannel } from "./backchannel.js";
import type { Channel, Delivery } from "./channel.js";
import { postMessage } from "./channels/post.js";
import { ActionUnsupported, BackchannelBroken, TestError, TestFailure, TestSkipped } from "./errors.js";
import { describeFilter, matches, type MessageFilter } from "./filter.js";
import type { Inbound } from "./inbox.js";
import { expectations } from "./expect.js";
import type { Silence, SilenceWait } from "./silence.js";

/** Fields for {@link TestContext.message}: a performative and whatever else to set or override. */
export type MessageFields = { performative: Performative } & Partial<Omit<AclMessage, "performative">>;

/** Failure details: what was expected, what came instead. */
export type FailureDetails = { expected?: unknown; received?: unknown };

/** The suite a test belongs to: what the metadata tests ask an agent's profile for. */
export type SuiteInfo = { id: string; version: string; uri: string; junctions: readonly string[] };

/** What {@link TestContext.post} did: the HTTP status, and the delivery as `send` reports it. */
export type Posted = { status: number; delivery: Delivery };

/**
 * What a test gets: a small API to talk to the agent (`message`, `send`, `expect`, `ask`), to
 * ask it to act (`act`) and to judge (`fail`, `assert...`). Failures carry the expected and the
 * received message.
 */
export type TestContext = {
  /** The test's id, e.g. `core.passive.reply-echoes-conversation-id`. */
  readonly id: string;
  /** The tested agent's address. */
  readonly agent: string;
  /** The harness's address (what the agent sees as `sender`). */
  readonly self: string;
  /** Where replies go when that is not {@link self}. */
  readonly replyTo: string | undefined;
  /** Aborted when the test runs out of time or the run is cancelled. */
  readonly signal: AbortSignal;
  /** The suite being run (id, version, URI, junction ids). */
  readonly suite: SuiteInfo;
  /**
   * The agent's HTTP transport as the channel knows it: `endpoint` (where messages are POSTed)
   * and `replyUrl` (a URL that lands in the harness's inbox), each absent when unknown.
   */
  readonly http: { endpoint?: string; replyUrl?: string };
  /**
   * A message from the harness to the agent: sender, receiver, reply_to (when the channel has
   * one), a fresh `conversation_id`, `reply_with` and `message_id`; `fields` override.
   */
  message(fields: MessageFields): AclMessage;
  /** Sends a message (any JSON value); a refusal by the transport fails the test. */
  send(message: unknown): Promise<Delivery>;
  /** Sends a message and returns the delivery, refused or not. */
  trySend(message: unknown): Promise<Delivery>;
  /**
   * POSTs `message` as JSON to `url` (with `raw`, a string body as it is), past the channel:
   * messages in the response body join the inbox. An unreachable URL stops the run
   * (`AgentUnreachable`); any HTTP status is returned, not judged.
   */
  post(url: string, message: unknown, options?: { raw?: boolean }): Promise<Posted>;
  /**
   * The first inbound message matching `filter` (default: any), waiting up to `timeout` ms
   * (default: what is left of the test's budget). Fails with expected vs received otherwise.
   */
  expect(
    filter?: MessageFilter | ((message: AclMessage) => boolean),
    options?: { timeout?: number },
  ): Promise<AclMessage>;
  /**
   * Fails if a message matching `filter` (default: any) arrives before the agent falls silent:
   * for a hosted agent, until the runtime says it is quiet (nothing queued, in flight or pending);
   * otherwise for the run's adaptive window (a multiple of the measured round trips, at least
   * `--silence` ms and at least `within` when given).
   */
  expectNone(filter: MessageFilter | undefined, options?: { within?: number }): Promise<void>;
  /**
   * The first message matching `filter` that arrives before the agent falls silent (as
   * {@link expectNone} decides it), or undefined once it is silent.
   */
  untilSilent(filter?: MessageFilter | ((message: AclMessage) => boolean)): Promise<AclMessage | undefined>;
  /** Waits until the clock reads `epochMs` (a deadline the agent set must pass), or the test ends. */
  waitUntil(epochMs: number): Promise<void>;
  /** `message(fields)`, `send` it, then `expect(filter)`: the common request/answer round trip. */
  ask(fields: MessageFields, filter?: MessageFilter): Promise<{ request: AclMessage; reply: AclMessage }>;
  /** Asks the backchannel for `action`; unsupported fails (essential) or skips the test. */
  act(action: string, ...params: string[]): Promise<void>;
  /** Fails the test. */
  fail(message: string, details?: FailureDetails): never;
  /** Ends the test as `skip` (it cannot be exercised through this channel), saying why. */
  skip(reason: string): never;
  /**
   * Fails the test unless `condition` holds. (Not an `asserts` signature: TypeScript would then
   * demand an explicit type on every `t` parameter in suites.)
   */
  assert(condition: unknown, message: string, details?: FailureDetails): void;
  /** Fails unless `actual` equals `expected` as JSON; `received` defaults to `actual`. */
  assertEqual(actual: unknown, expected: unknown, message: string, received?: unknown): void;
  /** Fails unless `message[field]` equals `expected`; the failure shows the whole message. */
  assertField(message: AclMessage, field: string, expected: unknown, text: string): void;
  /** Adds a remark to the test's result (shown in reports). */
  note(text: string): void;
};

/** What the runner hands {@link createContext}. */
export type ContextOptions = {
  id: string;
  suite: SuiteInfo;
  channel: Channel;
  backchannel: Backchannel;
  actions: ReadonlySet<string>;
  deadline: number;
  signal: AbortSignal;
  /** Conversations of earlier tests: their late messages are ignored, never taken. */
  stale: ReadonlySet<string>;
  /** The run's round-trip meter and adaptive silence window. */
  silence: Silence;
};

/** The context's own records, read by the runner after the test. */
export type ContextRecord = { conversations: Set<string>; notes: string[]; silence: SilenceWait[] };

/** Builds a test's context; returns it with the records the runner reads afterwards. */
export function createContext(options: ContextOptions): { t: TestContext; record: ContextRecord } {
  const { id, suite, channel, backchannel, actions, deadline, signal, stale, silence } = options;
  const record: ContextRecord = { conversations: new Set(), notes: [], silence: [] };
  const fail = (message: string, details: FailureDetails = {}): never => {
    throw new TestFailure(message, details);
  };
  const left = () => Math.max(0, deadline - Date.now());
  const fresh = (item: Inbound) =>
    !item.ok || item.message.conversation_id == null || !stale.has(item.message.conversation_id);
  const quiet = channel.quiet?.bind(channel);
  const { expect, expectNone, untilSilent } = expectations({
    inbox: channel.inbox,
    signal,
    left,
    fresh,
    silence,
    waits: record.silence,
    ...(quiet ? { quiet } : {}),
  });
  const t: TestContext = {
    id,
    agent: channel.agent,
    self: channel.name,
    replyTo: channel.replyTo,
    signal,
    suite,
    http: {
      ...(channel.http?.endpoint ? { endpoint: channel.http.endpoint } : {}),
      ...(channel.http?.replyUrl ? { replyUrl: channel.http.replyUrl } : {}),
    },
    message(fields) {
      const message: AclMessage = {
        sender: channel.name,
        receiver: channel.agent,
        ...(channel.replyTo ? { reply_to: channel.replyTo } : {}),
        conversation_id: `c-agtest-${crypto.randomUUID()}`,
        reply_with: `r-${crypto.randomUUID().slice(0, 8)}`,
        message_id: newMessageId(),
        ...fields,
      };
      if (typeof message.conversation_id === "string") record.conversations.add(message.conversation_id);
      return message;
    },
    async send(message) {
      silence.sent(message);
      const delivery = await channel.send(message);
      if (delivery.status === "refused")
        fail(`the agent's transport refused the message: ${delivery.reason}`, {
          expected: "the message delivered",
          received: delivery.reason,
        });
      return delivery;
    },
    trySend(message) {
      silence.sent(message);
      return channel.send(message);
    },
    async post(url, message, { raw = false } = {}) {
      const { delivery, status } = await postMessage(url, message, {
        inbox: channel.inbox,
        raw,
        ...(channel.http?.fetch ? { fetch: channel.http.fetch } : {}),
      });
      return { status, delivery };
    },
    expect,
    expectNone,
    untilSilent,
    async waitUntil(epochMs) {
      const ms = Math.min(epochMs - Date.now(), left());
      if (ms <= 0 || signal.aborted) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener("abort", done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener("abort", done, { once: true });
      });
    },
    async ask(fields, filter) {
      const request = t.message(fields);
      await t.send(request);
      return { request, reply: await expect(filter) };
    },
    async act(action, ...params) {
      if (!actions.has(action)) throw new TestError(`the suite does not declare agact action \`${action}\``);
      const result = await backchannel.act(action, params, signal);
      if (result.code === 127) throw new ActionUnsupported(action, result.detail);
      if (result.code === 1)
        throw new BackchannelBroken(`agact ${action} failed${result.detail ? `: ${result.detail}` : ""}`);
    },
    fail,
    skip(reason) {
      throw new TestSkipped(reason);
    },
    assert(condition, message, details) {
      if (!condition) fail(message, details);
    },
    assertEqual(actual, expected, message, received = actual) {
      if (JSON.stringify(actual) !== JSON.stringify(expected)) fail(message, { expected, received });
    },
    assertField(message, field, expected, text) {
      if (!matches(message, { [field]: expected }))
        fail(text, { expected: describeFilter({ [field]: expected }), received: message });
    },
    note(text) {
      record.notes.push(text);
    },
  };
  return { t, record };
}
