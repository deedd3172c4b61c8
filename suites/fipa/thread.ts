import {
  advance,
  nextActs,
  openConversation,
  TestError,
  type AclMessage,
  type Conversation,
  type MessageFields,
  type Performative,
  type TestContext,
} from "../../harness/core/index.js";

/** Whether a message was written by the runtime (its answer to a message it would not deliver). */
export function fromRuntime(message: AclMessage): boolean {
  return message["x_agtest_origin"] === "runtime";
}

/** Options of {@link Thread.next}. */
export type NextOptions = { timeout?: number; runtime?: boolean };

/**
 * One conversation between the harness and the agent, judged by the interaction protocol's state
 * machine (`protocol/protocols`, FIPA SC00026/27/29) as it goes: every agent message must be
 * allowed where the conversation stands, carry its `conversation_id` and quote the `reply_with`
 * of a harness message; a violation fails the test with the machine's own sentence. Messages of
 * the runtime (`x_agtest_origin: runtime`) are not the agent's and are not applied.
 */
export class Thread {
  #conversation: Conversation;
  readonly #replyWiths = new Set<string>();
  /** Every message of the thread, both sides, in order. */
  readonly messages: AclMessage[] = [];

  private constructor(
    private readonly t: TestContext,
    /** The message that opened the conversation. */
    readonly opening: AclMessage,
    conversation: Conversation,
    /** The participant whose thread this is: the agent, or the harness when the agent opened it. */
    readonly party: string,
  ) {
    this.#conversation = conversation;
    this.messages.push(opening);
  }

  /** The conversation id. */
  get id(): string {
    return String(this.opening.conversation_id);
  }

  /** Where the thread stands (`waiting`, `agreed`, `proposed`, `informed`...). */
  get state(): string {
    return this.#conversation.parties[this.party] ?? "unknown";
  }

  /** The harness opens a conversation (request, query-if/-ref, cfp) with the agent and sends it. */
  static async open(t: TestContext, fields: MessageFields): Promise<Thread> {
    const opening = t.message(fields);
    const opened = openConversation(opening, Date.now());
    if (opened === null || !opened.ok)
      throw new TestError(
        `the test opens no conversation: ${opened?.ok === false ? opened.violation : "no known protocol"}`,
      );
    const thread = new Thread(t, opening, opened.conversation, t.agent);
    thread.#remember(opening, true);
    await t.send(opening);
    return thread;
  }

  /** The harness joins a conversation the agent opened with `opening` (its request, query, cfp). */
  static join(t: TestContext, opening: AclMessage): Thread {
    const opened = openConversation(opening, Date.now());
    if (opened === null) {
      return t.fail("the agent's message opens no conversation of a FIPA protocol agtest knows", {
        expected: { protocol: "fipa-request, fipa-query or fipa-contract-net" },
        received: opening,
      });
    }
    if (!opened.ok)
      return t.fail(`the agent's message cannot open the conversation: ${opened.violation}`, {
        expected: "a well-formed opening message",
        received: opening,
      });
    const { conversation } = opened;
    const party =
      Object.keys(conversation.parties).find((p) => p === t.self || p === t.replyTo) ??
      Object.keys(conversation.parties)[0] ??
      t.self;
    return new Thread(t, opening, conversation, party);
  }

  /**
   * The harness answers `to` within the conversation (threaded: conversation_id, protocol,
   * in_reply_to its reply_with) and sends it. With `breaking`, the message is sent although the
   * protocol does not allow it (deliberate violations); otherwise that is a bug in the test.
   */
  async reply(to: AclMessage, fields: MessageFields, options: { breaking?: boolean } = {}): Promise<AclMessage> {
    const message = this.t.message({
      // In a conversation the agent opened, the harness speaks as the address the agent used.
      ...(this.party === this.t.agent ? {} : { sender: this.party }),
      conversation_id: this.id,
      ...(typeof this.opening.protocol === "string" ? { protocol: this.opening.protocol } : {}),
      ...(typeof to.reply_with === "string" ? { in_reply_to: to.reply_with } : {}),
      ...fields,
    });
    if (!options.breaking) {
      const step = advance(this.#conversation, message, Date.now());
      if (!step.ok) throw new TestError(`the test breaks the protocol itself: ${step.violation}`, message);
      this.#conversation = step.conversation;
    }
    this.#remember(message, true);
    await this.t.send(message);
    return message;
  }

  /**
   * The agent's next message in this conversation, checked against the protocol and the
   * threading rules; `want` names the acts the test waits for (default any). Fails on a
   * violation, on another act, or when nothing comes in time. A runtime message fails the test
   * too, unless `runtime` asks for it (it is then returned as is).
   */
  async next(want?: Performative | readonly Performative[], options: NextOptions = {}): Promise<AclMessage> {
    const acts = want === undefined ? undefined : typeof want === "string" ? [want] : want;
    const message = await this.t.expect(
      this.#belongs(),
      options.timeout === undefined ? {} : { timeout: options.timeout },
    );
    if (fromRuntime(message)) {
      if (options.runtime) return message;
      this.t.fail(
        `the runtime answered instead of the agent: ${JSON.stringify(message.content ?? message.performative).slice(0, 200)}`,
        { expected: acts ? { performative: acts.join(" or ") } : "a message from the agent", received: message },
      );
    }
    this.#check(message);
    if (acts !== undefined && !acts.includes(message.performative)) {
      this.t.fail(`expected ${acts.join(" or ")}, the agent sent ${message.performative}`, {
        expected: { performative: acts.join(" or ") },
        received: message,
      });
    }
    return message;
  }

  /**
   * The next message in this conversation before the agent falls silent, or undefined: the
   * agent's (checked like {@link next}) or the runtime's (as is). Silence is the harness's
   * (`t.untilSilent`): the runtime's quiescence for a hosted agent, else the adaptive window.
   */
  async maybeNext(): Promise<AclMessage | undefined> {
    const message = await this.t.untilSilent(this.#belongs());
    if (message !== undefined && !fromRuntime(message)) this.#check(message);
    return message;
  }

  /** Fails if the agent sends anything in this conversation before it falls silent; `why` says what silence means. */
  async quiet(why: string): Promise<void> {
    const stray = await this.t.untilSilent(this.#belongs());
    if (stray === undefined) return;
    if (!fromRuntime(stray)) this.#check(stray);
    const who = fromRuntime(stray) ? "the runtime answered for the agent with" : "the agent sent";
    this.t.fail(`${why}, but ${who} ${stray.performative}`, {
      expected: "no message in this conversation",
      received: stray,
    });
  }

  // Only the harness's reply_with values are what the agent's answers may quote.
  #remember(message: AclMessage, fromHarness: boolean): void {
    if (message !== this.opening) this.messages.push(message);
    if (fromHarness && typeof message.reply_with === "string") this.#replyWiths.add(message.reply_with);
  }

  #belongs(): (message: AclMessage) => boolean {
    const id = this.id;
    const quoted = this.#replyWiths;
    return function inThisConversation(m) {
      return m.conversation_id === id || (typeof m.in_reply_to === "string" && quoted.has(m.in_reply_to));
    };
  }

  // The protocol's verdict first (it names the conversation's state), then the threading rules.
  #check(message: AclMessage): void {
    const { t } = this;
    const step = advance(this.#conversation, message, Date.now());
    if (!step.ok) {
      const acts = nextActs(this.#conversation, this.party);
      const side = this.party === t.agent ? acts.participant : acts.initiator;
      return t.fail(`the agent broke ${this.#conversation.protocol}: ${step.violation}`, {
        expected: side.length > 0 ? { performative: side.join(" or ") } : "no message",
        received: message,
      });
    }
    this.#conversation = step.conversation;
    this.#remember(message, false);
    if (
      this.#replyWiths.size > 0 &&
      !(typeof message.in_reply_to === "string" && this.#replyWiths.has(message.in_reply_to))
    ) {
      t.fail("the message's in_reply_to quotes no reply_with the harness sent in this conversation", {
        expected: { in_reply_to: [...this.#replyWiths].join(" or ") },
        received: message,
      });
    }
  }
}
