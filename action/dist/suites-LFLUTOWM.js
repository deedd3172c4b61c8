import { createRequire as __agtestCreateRequire } from "node:module";
const require = __agtestCreateRequire(import.meta.url);
import {
  InteropProfileSchema,
  TestError,
  TestFailure,
  advance,
  cluster,
  defineSuite,
  nextActs,
  openConversation,
  parseRoutable,
  receiversOf,
  replyOf,
  test
} from "./chunk-SVB6FBX3.js";
import "./chunk-TUHQ4TON.js";

// suites/fipa/actions.ts
var FIPA_ACTIONS = {
  send: {
    usage: "send PERFORMATIVE RECEIVER CONTENT",
    description: "send one message with this performative and text content to RECEIVER, in a new conversation"
  },
  request: {
    usage: "request RECEIVER CONTENT",
    description: "open a fipa-request: send RECEIVER a request with this text content; take agree, inform, refuse or failure without answering"
  },
  "query-ref": {
    usage: "query-ref RECEIVER EXPRESSION",
    description: "open a fipa-query: send RECEIVER a query-ref with this text content; take the inform, refuse or failure without answering"
  },
  "query-if": {
    usage: "query-if RECEIVER PROPOSITION",
    description: "open a fipa-query: send RECEIVER a query-if with this text content; take the answer without answering"
  },
  cfp: {
    usage: "cfp RECEIVERS PRODUCT DEADLINE_MS",
    description: 'open a fipa-contract-net: one cfp {"product":PRODUCT} to RECEIVERS (comma-separated) with reply_by DEADLINE_MS from now; accept the cheapest proposal received by the deadline, reject the other proposals, never accept a refusal or a late proposal'
  },
  "query-profile": {
    usage: "query-profile RECEIVER SUITE_URI",
    description: 'ask RECEIVER for its interop profile for SUITE_URI (the agent-metadata request {"what":[{"interop-profile":SUITE_URI}]}, see metadata)'
  }
};

// suites/fipa/core/active.ts
async function informed(t) {
  const to = t.replyTo ?? t.self;
  const text = `agtest-${crypto.randomUUID().slice(0, 8)}`;
  await t.act("send", "inform", to, text);
  return { message: await t.expect({ performative: "inform" }), to, text };
}
var coreActive = [
  test("sends-when-asked", { essential: true, description: "asked to send an inform to the harness, the agent sends it with that content" }, async (t) => {
    const { message, text } = await informed(t);
    t.assertField(message, "content", text, "the message does not carry the content asked for");
  }),
  test("message-is-well-formed", { essential: true, description: "the message has a sender and a receiver" }, async (t) => {
    const { message } = await informed(t);
    const routable = parseRoutable(message);
    if (!routable.ok) t.fail(`the message cannot be routed: ${routable.error.message}`, { expected: "a message with sender and receiver", received: message });
  }),
  test("names-itself-as-sender", { essential: true, description: "the message's sender is the agent's own address" }, async (t) => {
    const { message } = await informed(t);
    t.assertField(message, "sender", t.agent, "the message does not name the agent as its sender");
  }),
  test("addresses-the-receiver", { essential: true, description: "the message is addressed to the receiver asked for" }, async (t) => {
    const { message, to } = await informed(t);
    t.assert(receiversOf(message).includes(to), "the message is not addressed to the receiver asked for", { expected: { receiver: to }, received: message });
  }),
  test("starts-a-conversation", { description: "the message carries a conversation_id" }, async (t) => {
    const { message } = await informed(t);
    t.assert(typeof message.conversation_id === "string" && message.conversation_id !== "", "the message has no conversation_id", { expected: { conversation_id: "a non-empty string" }, received: message });
  }),
  test("does-not-answer-not-understood", { description: "a not-understood in reply to its message gets no answer (no loops)" }, async (t) => {
    const { message } = await informed(t);
    const back = t.message({ performative: "not-understood", content: "agtest: not understood on purpose" });
    if (typeof message.conversation_id === "string") back.conversation_id = message.conversation_id;
    if (typeof message.reply_with === "string") back.in_reply_to = message.reply_with;
    await t.send(back);
    await t.expectNone(void 0, { within: 500 });
  })
];

// suites/fipa/core/shared.ts
function anyRequest(t) {
  return t.message({
    performative: "request",
    protocol: "fipa-request",
    ontology: "agtest-core",
    language: "application/json",
    content: { agtest: "core", test: t.id }
  });
}
async function askAnything(t) {
  const request2 = anyRequest(t);
  await t.send(request2);
  return { request: request2, reply: await t.expect() };
}
function assertAddressedTo(t, message, address, why) {
  t.assert(receiversOf(message).includes(address), why, { expected: { receiver: address }, received: message });
}

// suites/fipa/core/passive.ts
var corePassive = [
  test("answers-a-request", { essential: true, description: "a request gets an answer (any performative) in time" }, async (t) => {
    await askAnything(t);
  }),
  test("reply-is-well-formed", { essential: true, description: "the answer is a FIPA ACL message with a sender and a receiver" }, async (t) => {
    const { reply } = await askAnything(t);
    const routable = parseRoutable(reply);
    if (!routable.ok) t.fail(`the answer cannot be routed: ${routable.error.message}`, { expected: "a message with sender and receiver", received: reply });
  }),
  test("reply-echoes-conversation-id", { essential: true, description: "the answer carries the request's conversation_id" }, async (t) => {
    const { request: request2, reply } = await askAnything(t);
    t.assertField(reply, "conversation_id", request2.conversation_id, "the answer does not carry the request's conversation_id");
  }),
  test("reply-quotes-reply-with", { essential: true, description: "the answer's in_reply_to is the request's reply_with" }, async (t) => {
    const { request: request2, reply } = await askAnything(t);
    t.assertField(reply, "in_reply_to", request2.reply_with, "the answer's in_reply_to is not the request's reply_with");
  }),
  test("reply-goes-to-requester", { essential: true, description: "the answer is addressed to the request's reply_to, else its sender" }, async (t) => {
    const { request: request2, reply } = await askAnything(t);
    const requester = typeof request2.reply_to === "string" ? request2.reply_to : t.self;
    assertAddressedTo(t, reply, requester, "the answer is not addressed to whoever asked");
  }),
  test("reply-honours-reply-to", { essential: true, description: "when reply_to and sender differ, the answer goes to reply_to (not the sender)" }, async (t) => {
    const request2 = { ...anyRequest(t), sender: `agtest-elsewhere-${crypto.randomUUID().slice(0, 8)}`, reply_to: t.replyTo ?? t.self };
    await t.send(request2);
    const reply = await t.expect(replyOf(request2));
    assertAddressedTo(t, reply, request2.reply_to, "the answer is not addressed to the request's reply_to");
  }),
  test("reply-comes-from-agent", { essential: true, description: "the answer's sender is the agent's own address" }, async (t) => {
    const { reply } = await askAnything(t);
    t.assertField(reply, "sender", t.agent, "the answer does not name the agent as its sender");
  }),
  test("reply-echoes-protocol", { description: "the answer keeps the request's protocol and ontology" }, async (t) => {
    const { request: request2, reply } = await askAnything(t);
    t.assertField(reply, "protocol", request2.protocol, "the answer drops or changes the protocol");
    t.assertField(reply, "ontology", request2.ontology, "the answer drops or changes the ontology");
  }),
  test("conversations-stay-apart", { description: "two requests in two conversations get answers threaded to each" }, async (t) => {
    const first = anyRequest(t);
    const second = anyRequest(t);
    await t.send(first);
    await t.send(second);
    for (const request2 of [first, second]) {
      const reply = await t.expect({ in_reply_to: request2.reply_with });
      t.assertField(reply, "conversation_id", request2.conversation_id, "an answer carries the other conversation's id");
    }
  }),
  test("tolerates-user-defined-parameters", { description: "a request with a user-defined X- parameter is answered as usual" }, async (t) => {
    const request2 = { ...anyRequest(t), "X-agtest-trace": "core" };
    await t.send(request2);
    const reply = await t.expect();
    t.assertField(reply, "in_reply_to", request2.reply_with, "the answer to a request with an X- parameter is not threaded");
  }),
  ...notUnderstood()
];
function notUnderstood() {
  const nonsense = () => ({ "agtest-unintelligible": crypto.randomUUID() });
  return [
    test("not-understood.unintelligible-content", { essential: true, description: "content the agent cannot understand gets not-understood" }, async (t) => {
      const request2 = t.message({ performative: "request", ontology: `agtest-unknown-${crypto.randomUUID().slice(0, 8)}`, language: "application/x-agtest-nonsense", content: nonsense() });
      await t.send(request2);
      const reply = await t.expect();
      t.assertField(reply, "performative", "not-understood", "unintelligible content did not get not-understood");
    }),
    test("not-understood.says-why", { description: "a not-understood carries content saying what was not understood" }, async (t) => {
      await t.send(t.message({ performative: "request", ontology: "agtest-unknown", content: nonsense() }));
      const reply = await t.expect({ performative: "not-understood" });
      const content = reply.content;
      t.assert(content !== void 0 && content !== null && content !== "", "the not-understood gives no reason", { expected: "a not-understood with content", received: reply });
    }),
    test("not-understood.unknown-performative", { description: "a message with an unknown performative gets not-understood" }, async (t) => {
      const message = { ...t.message({ performative: "request", content: "agtest" }), performative: "xyzzy" };
      const delivery = await t.trySend(message);
      if (delivery.status === "refused") {
        t.note(`the transport refused it before the agent saw it (${delivery.reason.slice(0, 100)}…); the agent itself was not exercised`);
        return;
      }
      const reply = await t.expect();
      t.assertField(reply, "performative", "not-understood", "an unknown performative did not get not-understood");
    }),
    test("not-understood.is-not-answered", { description: "a not-understood sent to the agent gets no answer (no loops)", timeout: 2e3 }, async (t) => {
      await t.send(t.message({ performative: "not-understood", content: "agtest: nothing to understand" }));
      await t.expectNone(void 0, { within: 500 });
    })
  ];
}

// suites/fipa/core/index.ts
var core = cluster("core", {
  title: "Core messaging: well-formed messages, threading, not-understood",
  passive: corePassive,
  active: coreActive
});

// suites/fipa/thread.ts
function fromRuntime(message) {
  return message["x_agtest_origin"] === "runtime";
}
var Thread = class _Thread {
  constructor(t, opening, conversation, party) {
    this.t = t;
    this.opening = opening;
    this.party = party;
    this.#conversation = conversation;
    this.messages.push(opening);
  }
  #conversation;
  #replyWiths = /* @__PURE__ */ new Set();
  /** Every message of the thread, both sides, in order. */
  messages = [];
  /** The conversation id. */
  get id() {
    return String(this.opening.conversation_id);
  }
  /** Where the thread stands (`waiting`, `agreed`, `proposed`, `informed`...). */
  get state() {
    return this.#conversation.parties[this.party] ?? "unknown";
  }
  /** The harness opens a conversation (request, query-if/-ref, cfp) with the agent and sends it. */
  static async open(t, fields) {
    const opening = t.message(fields);
    const opened = openConversation(opening, Date.now());
    if (opened === null || !opened.ok) throw new TestError(`the test opens no conversation: ${opened?.ok === false ? opened.violation : "no known protocol"}`);
    const thread = new _Thread(t, opening, opened.conversation, t.agent);
    thread.#remember(opening, true);
    await t.send(opening);
    return thread;
  }
  /** The harness joins a conversation the agent opened with `opening` (its request, query, cfp). */
  static join(t, opening) {
    const opened = openConversation(opening, Date.now());
    if (opened === null) {
      return t.fail("the agent's message opens no conversation of a FIPA protocol agtest knows", { expected: { protocol: "fipa-request, fipa-query or fipa-contract-net" }, received: opening });
    }
    if (!opened.ok) return t.fail(`the agent's message cannot open the conversation: ${opened.violation}`, { expected: "a well-formed opening message", received: opening });
    const { conversation } = opened;
    const party = Object.keys(conversation.parties).find((p) => p === t.self || p === t.replyTo) ?? Object.keys(conversation.parties)[0] ?? t.self;
    return new _Thread(t, opening, conversation, party);
  }
  /**
   * The harness answers `to` within the conversation (threaded: conversation_id, protocol,
   * in_reply_to its reply_with) and sends it. With `breaking`, the message is sent although the
   * protocol does not allow it (deliberate violations); otherwise that is a bug in the test.
   */
  async reply(to, fields, options = {}) {
    const message = this.t.message({
      // In a conversation the agent opened, the harness speaks as the address the agent used.
      ...this.party === this.t.agent ? {} : { sender: this.party },
      conversation_id: this.id,
      ...typeof this.opening.protocol === "string" ? { protocol: this.opening.protocol } : {},
      ...typeof to.reply_with === "string" ? { in_reply_to: to.reply_with } : {},
      ...fields
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
  async next(want, options = {}) {
    const acts = want === void 0 ? void 0 : typeof want === "string" ? [want] : want;
    const message = await this.t.expect(this.#belongs(), options.timeout === void 0 ? {} : { timeout: options.timeout });
    if (fromRuntime(message)) {
      if (options.runtime) return message;
      this.t.fail(`the runtime answered instead of the agent: ${JSON.stringify(message.content ?? message.performative).slice(0, 200)}`, { expected: acts ? { performative: acts.join(" or ") } : "a message from the agent", received: message });
    }
    this.#check(message);
    if (acts !== void 0 && !acts.includes(message.performative)) {
      this.t.fail(`expected ${acts.join(" or ")}, the agent sent ${message.performative}`, { expected: { performative: acts.join(" or ") }, received: message });
    }
    return message;
  }
  /**
   * The next message in this conversation within `within` ms, or undefined: the agent's (checked
   * like {@link next}) or the runtime's (as is).
   */
  async maybeNext(within) {
    const message = await this.t.expect(this.#belongs(), { timeout: within }).catch(nothing);
    if (message !== void 0 && !fromRuntime(message)) this.#check(message);
    return message;
  }
  /** Fails if the agent sends anything in this conversation within `within` ms; `why` says what silence means. */
  async quiet(within, why) {
    const stray = await this.t.expect(this.#belongs(), { timeout: within }).catch(nothing);
    if (stray === void 0) return;
    if (!fromRuntime(stray)) this.#check(stray);
    const who = fromRuntime(stray) ? "the runtime answered for the agent with" : "the agent sent";
    this.t.fail(`${why}, but ${who} ${stray.performative}`, { expected: "no message in this conversation", received: stray });
  }
  // Only the harness's reply_with values are what the agent's answers may quote.
  #remember(message, fromHarness) {
    if (message !== this.opening) this.messages.push(message);
    if (fromHarness && typeof message.reply_with === "string") this.#replyWiths.add(message.reply_with);
  }
  #belongs() {
    const id = this.id;
    const quoted = this.#replyWiths;
    return function inThisConversation(m) {
      return m.conversation_id === id || typeof m.in_reply_to === "string" && quoted.has(m.in_reply_to);
    };
  }
  // The protocol's verdict first (it names the conversation's state), then the threading rules.
  #check(message) {
    const { t } = this;
    const step = advance(this.#conversation, message, Date.now());
    if (!step.ok) {
      const acts = nextActs(this.#conversation, this.party);
      const side = this.party === t.agent ? acts.participant : acts.initiator;
      return t.fail(`the agent broke ${this.#conversation.protocol}: ${step.violation}`, { expected: side.length > 0 ? { performative: side.join(" or ") } : "no message", received: message });
    }
    this.#conversation = step.conversation;
    this.#remember(message, false);
    if (this.#replyWiths.size > 0 && !(typeof message.in_reply_to === "string" && this.#replyWiths.has(message.in_reply_to))) {
      t.fail("the message's in_reply_to quotes no reply_with the harness sent in this conversation", { expected: { in_reply_to: [...this.#replyWiths].join(" or ") }, received: message });
    }
  }
};
function nothing(error) {
  if (error instanceof TestFailure && /^no (matching )?message/.test(error.message)) return void 0;
  throw error;
}

// suites/fipa/vocabulary.ts
var ONTOLOGY = "agtest-fipa";
var JSON_LANGUAGE = "application/json";
var METADATA_ONTOLOGY = "agent-metadata";
function tag(prefix = "agtest") {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}
function request(content) {
  return { performative: "request", protocol: "fipa-request", ontology: ONTOLOGY, language: JSON_LANGUAGE, content };
}
function cfp(product, withinMs) {
  return {
    performative: "cfp",
    protocol: "fipa-contract-net",
    ontology: ONTOLOGY,
    language: JSON_LANGUAGE,
    content: product === void 0 ? {} : { product },
    reply_by: new Date(Date.now() + withinMs).toISOString()
  };
}
function query(performative, content) {
  return { performative, protocol: "fipa-query", ontology: ONTOLOGY, language: JSON_LANGUAGE, content };
}
function metadataRequest(suites) {
  return {
    performative: "query-ref",
    protocol: "fipa-query",
    ontology: METADATA_ONTOLOGY,
    language: JSON_LANGUAGE,
    content: { what: suites.map((uri) => ({ "interop-profile": uri })) }
  };
}
function harnessAddress(t) {
  return t.replyTo ?? t.self;
}
function objectContent(content) {
  return content !== null && typeof content === "object" && !Array.isArray(content) ? content : void 0;
}

// suites/fipa/metadata/active.ts
async function asking(t) {
  const to = harnessAddress(t);
  await t.act("query-profile", to, t.suite.uri);
  return { message: await t.expect({ performative: "query-ref" }), to };
}
var metadataActive = [
  test("asks-for-a-profile", { essential: true, description: 'asked to, it sends RECEIVER a fipa-query query-ref, ontology agent-metadata, content {"what":[{"interop-profile": SUITE_URI}]}' }, async (t) => {
    const { message, to } = await asking(t);
    t.assertField(message, "protocol", "fipa-query", "the request does not declare protocol fipa-query");
    t.assertField(message, "ontology", METADATA_ONTOLOGY, "the request is not in ontology agent-metadata");
    t.assertField(message, "content", { what: [{ "interop-profile": t.suite.uri }] }, "the request is not the agent-metadata request for the suite asked for");
    t.assert(receiversOf(message).includes(to), "the request is not addressed to the receiver asked for", { expected: { receiver: to }, received: message });
    Thread.join(t, message);
  }),
  test("takes-the-profile", { description: "the inform carrying the profile gets no answer" }, async (t) => {
    const { message } = await asking(t);
    const thread = Thread.join(t, message);
    const profile = { test_suite: t.suite.uri, profile: { "core.passive": "interoperable" } };
    await thread.reply(message, { performative: "inform", ontology: METADATA_ONTOLOGY, content: [{ "interop-profile": profile }] });
    await thread.quiet(300, "an inform ends the query");
  })
];

// suites/fipa/metadata/shape.ts
function entries(t, inform, count) {
  const content = inform.content;
  const shape = `an array of ${count} {"interop-profile": profile or null}`;
  if (!Array.isArray(content) || content.length !== count) return t.fail(`the answer is not ${shape}`, { expected: { content: shape }, received: inform });
  return content.map((entry) => {
    if (entry === null || typeof entry !== "object" || !("interop-profile" in entry)) return t.fail(`an entry of the answer is not {"interop-profile": ...}`, { expected: { content: shape }, received: inform });
    return entry["interop-profile"];
  });
}
function profileFor(t, value, uri, inform) {
  const parsed = InteropProfileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return t.fail(`the interop profile is not valid (${issue ? `${issue.path.join(".") || "profile"}: ${issue.message}` : "schema"})`, { expected: { test_suite: uri, profile: { "junction.side": "interoperable | constrained (N of M) | divergent" } }, received: inform });
  }
  t.assert(parsed.data.test_suite === uri, "the interop profile is for another suite than the one asked for", { expected: { test_suite: uri }, received: value });
  return parsed.data;
}

// suites/fipa/metadata/passive.ts
var UNKNOWN_SUITE = "urn:agtest:suite:agtest-unknown:0.0.0";
async function ask(t, suites) {
  const thread = await Thread.open(t, metadataRequest(suites));
  const first = await thread.next(["agree", "inform"]);
  return first.performative === "agree" ? thread.next("inform") : first;
}
var metadataPassive = [
  test("answers-the-profile-request", { essential: true, description: "the agent-metadata request for this suite gets an inform with a valid interop profile for this suite's URI" }, async (t) => {
    const inform = await ask(t, [t.suite.uri]);
    const [profile] = entries(t, inform, 1);
    profileFor(t, profile, t.suite.uri, inform);
  }),
  test("profile-names-this-suites-junctions", { description: "every junction the profile scores is one of this suite's" }, async (t) => {
    const inform = await ask(t, [t.suite.uri]);
    const [profile] = entries(t, inform, 1);
    const unknown = Object.keys(profileFor(t, profile, t.suite.uri, inform).profile).filter((j) => !t.suite.junctions.includes(j));
    t.assert(unknown.length === 0, `the profile scores junctions this suite does not have: ${unknown.join(", ")}`, { expected: { junctions: t.suite.junctions }, received: profile });
  }),
  test("unknown-suite", { description: 'a request for a suite it has no profile for gets {"interop-profile": null}' }, async (t) => {
    const inform = await ask(t, [UNKNOWN_SUITE]);
    const [profile] = entries(t, inform, 1);
    t.assertEqual(profile, null, "the agent claims a profile for a suite that does not exist", inform);
  }),
  test("answers-a-batch", { description: "two items asked at once get two answers, in order" }, async (t) => {
    const inform = await ask(t, [UNKNOWN_SUITE, t.suite.uri]);
    const [unknown, profile] = entries(t, inform, 2);
    t.assertEqual(unknown, null, "the first answer (an unknown suite) is not null", inform);
    profileFor(t, profile, t.suite.uri, inform);
  })
];

// suites/fipa/metadata/index.ts
var metadata = cluster("metadata", {
  title: "Agent metadata: the interop-profile request (HIPE 0015)",
  passive: metadataPassive,
  active: metadataActive
});

// suites/fipa/protocols/fipa-contract-net/active.ts
var DEADLINE_MS = 1e4;
var SILENCE_MS = 600;
async function called(t, deadline) {
  const to = harnessAddress(t);
  const product = tag("product");
  const asked = Date.now();
  await t.act("cfp", to, product, String(deadline));
  return { message: await t.expect({ performative: "cfp" }), product, to, asked };
}
function offer(cfp2) {
  return { product: objectContent(cfp2.content)?.["product"] ?? null, price: 42 };
}
var contractNetActive = [
  test("sends-a-cfp", { essential: true, description: 'asked to, it sends RECEIVERS one cfp {"product": P} with a reply_by DEADLINE_MS from then, a conversation_id and a reply_with' }, async (t) => {
    const { message, product, to, asked } = await called(t, DEADLINE_MS);
    const arrived = Date.now();
    t.assertField(message, "protocol", "fipa-contract-net", "the cfp does not declare protocol fipa-contract-net");
    t.assert(objectContent(message.content)?.["product"] === product, "the cfp does not name the product asked for", { expected: { content: { product } }, received: message });
    t.assert(receiversOf(message).includes(to), "the cfp is not addressed to the receiver asked for", { expected: { receiver: to }, received: message });
    for (const field of ["conversation_id", "reply_with"]) {
      t.assert(typeof message[field] === "string" && message[field] !== "", `the cfp has no ${field} to thread proposals by`, { expected: { [field]: "a non-empty string" }, received: message });
    }
    const replyBy = typeof message.reply_by === "string" ? Date.parse(message.reply_by) : Number.NaN;
    const expected = `a date-time about ${new Date(asked + DEADLINE_MS).toISOString()}`;
    t.assert(!Number.isNaN(replyBy), "the cfp has no reply_by deadline", { expected: { reply_by: expected }, received: message });
    t.assert(replyBy >= asked + DEADLINE_MS - 1e3 && replyBy <= arrived + DEADLINE_MS + 1e3, "the cfp's reply_by is not the deadline asked for", { expected: { reply_by: expected }, received: message });
    Thread.join(t, message);
  }),
  test("accepts-a-proposal", { essential: true, description: "the one proposal, received in time, gets accept-proposal; the inform that follows gets no answer" }, async (t) => {
    const { message } = await called(t, DEADLINE_MS);
    const thread = Thread.join(t, message);
    const propose = await thread.reply(message, { performative: "propose", content: offer(message) });
    await thread.next("accept-proposal");
    await thread.reply(propose, { performative: "inform", content: { ...offer(message), status: "done" } });
    await thread.quiet(300, "the inform ended the contract net");
  }),
  test("refusal-is-final", { essential: true, description: "a participant that refuses is never accepted: nothing follows in the conversation" }, async (t) => {
    const { message } = await called(t, DEADLINE_MS);
    const thread = Thread.join(t, message);
    await thread.reply(message, { performative: "refuse", content: "agtest refuses on purpose" });
    await thread.quiet(SILENCE_MS, "the only participant refused");
  }),
  test("ignores-late-proposals", { essential: true, description: "a proposal sent after the cfp's reply_by is not accepted" }, async (t) => {
    const deadline = 300;
    const { message } = await called(t, deadline);
    const thread = Thread.join(t, message);
    const replyBy = typeof message.reply_by === "string" ? Date.parse(message.reply_by) : Date.now() + deadline;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, replyBy - Date.now()) + 100));
    await thread.reply(message, { performative: "propose", content: offer(message) }, { breaking: true });
    const answer2 = await thread.maybeNext(SILENCE_MS);
    if (answer2 !== void 0 && fromRuntime(answer2)) {
      t.note(`the runtime refused the late proposal before the agent saw it (${answer2.performative}); the agent itself was not exercised`);
      await thread.quiet(300, "the late proposal never reached the agent");
    }
  })
];

// suites/fipa/protocols/fipa-contract-net/passive.ts
var REPLY_WITHIN_MS = 1e4;
var SILENCE_MS2 = 600;
async function proposal(t) {
  const product = tag("product");
  const thread = await Thread.open(t, cfp(product, REPLY_WITHIN_MS));
  const propose = await thread.next("propose");
  const content = objectContent(propose.content);
  const price = content?.["price"];
  t.assert(content?.["product"] === product && Number.isInteger(price) && price > 0, 'the proposal is not {"product": P, "price": a positive integer}', { expected: { content: { product, price: "a positive integer" } }, received: propose });
  return { thread, propose };
}
var contractNetPassive = [
  test("proposes", { essential: true, description: 'a cfp {"product": P} gets a propose {"product": P, "price": N} before its reply_by deadline' }, async (t) => {
    await proposal(t);
  }),
  test("refuses-what-it-cannot-offer", { description: "a cfp naming no product gets refuse (or not-understood), not a proposal" }, async (t) => {
    const thread = await Thread.open(t, cfp(void 0, REPLY_WITHIN_MS));
    await thread.next(["refuse", "not-understood"]);
  }),
  test("fulfils-an-accepted-proposal", { essential: true, description: "its proposal, accepted, gets an inform (done)" }, async (t) => {
    const { thread, propose } = await proposal(t);
    await thread.reply(propose, { performative: "accept-proposal", content: propose.content ?? null });
    await thread.next("inform");
  }),
  test("rejection-ends-the-thread", { essential: true, description: "its proposal, rejected, gets nothing more: no inform, no new proposal" }, async (t) => {
    const { thread, propose } = await proposal(t);
    await thread.reply(propose, { performative: "reject-proposal", content: { reason: "agtest rejects on purpose" } });
    await thread.quiet(SILENCE_MS2, "a rejected proposal ends the participant's part");
  }),
  test("respects-the-deadline", { essential: true, description: "a cfp whose reply_by has passed gets no proposal (it would be late)" }, async (t) => {
    const thread = await Thread.open(t, { ...cfp(tag("product"), 0), reply_by: new Date(Date.now() - 3e4).toISOString() });
    await thread.quiet(SILENCE_MS2, "the cfp's reply_by deadline had passed, so any answer is late");
  })
];

// suites/fipa/protocols/fipa-contract-net/index.ts
var fipaContractNet = cluster("protocols.fipa-contract-net", {
  title: "FIPA Contract Net Interaction Protocol (SC00029)",
  passive: contractNetPassive,
  active: contractNetActive
});

// suites/fipa/protocols/fipa-query/active.ts
async function queried(t, act) {
  const to = harnessAddress(t);
  const content = tag(act);
  await t.act(act, to, content);
  return { message: await t.expect({ performative: act }), content, to };
}
function checkQuery(t, { message, content, to }) {
  t.assertField(message, "protocol", "fipa-query", "the query does not declare protocol fipa-query");
  t.assertField(message, "content", content, "the query does not carry the content asked for");
  t.assert(receiversOf(message).includes(to), "the query is not addressed to the receiver asked for", { expected: { receiver: to }, received: message });
  for (const field of ["conversation_id", "reply_with"]) {
    t.assert(typeof message[field] === "string" && message[field] !== "", `the query has no ${field} to thread answers by`, { expected: { [field]: "a non-empty string" }, received: message });
  }
  Thread.join(t, message);
}
var queryActive = [
  test("sends-a-query-ref", { essential: true, description: "asked to, it sends RECEIVER a fipa-query query-ref with the expression asked for, a conversation_id and a reply_with" }, async (t) => {
    checkQuery(t, await queried(t, "query-ref"));
  }),
  test("sends-a-query-if", { description: "asked to, it sends RECEIVER a fipa-query query-if with the proposition asked for" }, async (t) => {
    checkQuery(t, await queried(t, "query-if"));
  }),
  test("takes-the-answer", { essential: true, description: "the inform answering its query-ref gets no answer (it understood it)" }, async (t) => {
    const { message } = await queried(t, "query-ref");
    const thread = Thread.join(t, message);
    await thread.reply(message, { performative: "inform", content: { answer: message.content ?? null } });
    await thread.quiet(300, "an inform ends the query");
  })
];

// suites/fipa/protocols/fipa-query/passive.ts
async function answer(thread, acts) {
  const first = await thread.next(["agree", ...acts]);
  return first.performative === "agree" ? thread.next(acts) : first;
}
var queryPassive = [
  test("answers-query-ref", { essential: true, description: 'query-ref {"ref":"name"} gets an inform {"name": its own address}' }, async (t) => {
    const thread = await Thread.open(t, query("query-ref", { ref: "name" }));
    const inform = await answer(thread, ["inform"]);
    t.assertEqual(objectContent(inform.content)?.["name"], t.agent, "the inform does not give the agent's name", inform);
  }),
  test("answers-query-if", { description: 'query-if {"name": X} gets an inform saying whether X is its name ("holds": true, then false)' }, async (t) => {
    for (const [name, holds] of [[t.agent, true], [tag("not-its-name"), false]]) {
      const thread = await Thread.open(t, query("query-if", { name }));
      const inform = await answer(thread, ["inform"]);
      t.assertEqual(objectContent(inform.content), { name, holds }, `the inform does not say that the proposition is ${holds}`, inform);
    }
  }),
  test("unknown-reference", { description: "query-ref for a reference it does not know gets refuse, failure or not-understood, not an inform" }, async (t) => {
    const thread = await Thread.open(t, query("query-ref", { ref: tag("agtest-unknown") }));
    await answer(thread, ["refuse", "failure", "not-understood"]);
  })
];

// suites/fipa/protocols/fipa-query/index.ts
var fipaQuery = cluster("protocols.fipa-query", {
  title: "FIPA Query Interaction Protocol (SC00027)",
  passive: queryPassive,
  active: queryActive
});

// suites/fipa/protocols/fipa-request/active.ts
async function requested(t) {
  const to = harnessAddress(t);
  const content = tag("request");
  await t.act("request", to, content);
  return { message: await t.expect({ performative: "request" }), content, to };
}
var requestActive = [
  test("sends-a-request", { essential: true, description: "asked to, it sends RECEIVER a fipa-request request with the content asked for, a conversation_id and a reply_with" }, async (t) => {
    const { message, content, to } = await requested(t);
    t.assertField(message, "protocol", "fipa-request", "the request does not declare protocol fipa-request");
    t.assertField(message, "content", content, "the request does not carry the content asked for");
    t.assert(receiversOf(message).includes(to), "the request is not addressed to the receiver asked for", { expected: { receiver: to }, received: message });
    for (const field of ["conversation_id", "reply_with"]) {
      t.assert(typeof message[field] === "string" && message[field] !== "", `the request has no ${field} to thread answers by`, { expected: { [field]: "a non-empty string" }, received: message });
    }
    Thread.join(t, message);
  }),
  test("takes-agree-and-inform", { essential: true, description: "an agree then an inform in its conversation get no answer (it understood both)" }, async (t) => {
    const { message } = await requested(t);
    const thread = Thread.join(t, message);
    await thread.reply(message, { performative: "agree" });
    await thread.reply(message, { performative: "inform", content: { done: message.content ?? null } });
    await thread.quiet(300, "agree and inform need no answer");
  }),
  test("takes-a-refusal", { description: "a refuse gets no answer, and the agent does not insist in that conversation" }, async (t) => {
    const { message } = await requested(t);
    const thread = Thread.join(t, message);
    await thread.reply(message, { performative: "refuse", content: "agtest refuses on purpose" });
    await thread.quiet(300, "a refusal ends the conversation");
  }),
  test("takes-a-failure", { description: "an agree then a failure get no answer" }, async (t) => {
    const { message } = await requested(t);
    const thread = Thread.join(t, message);
    await thread.reply(message, { performative: "agree" });
    await thread.reply(message, { performative: "failure", content: "agtest fails on purpose" });
    await thread.quiet(300, "a failure ends the conversation");
  })
];

// suites/fipa/protocols/fipa-request/passive.ts
var requestPassive = [
  test("performs-a-request", { essential: true, description: "a request it can perform (echo) gets an inform with the result, agree first being optional" }, async (t) => {
    const text = tag("echo");
    const thread = await Thread.open(t, request({ do: "echo", text }));
    let answer2 = await thread.next(["agree", "inform"]);
    if (answer2.performative === "agree") answer2 = await thread.next("inform");
    t.assertEqual(objectContent(answer2.content)?.["echo"], text, "the inform does not carry the result asked for", answer2);
  }),
  test("agree-comes-before-inform", { essential: true, description: "an agree, if any, comes before the inform, and nothing follows the inform" }, async (t) => {
    const thread = await Thread.open(t, request({ do: "echo", text: tag("echo") }));
    const first = await thread.next(["agree", "inform"]);
    if (first.performative === "agree") await thread.next("inform");
    await thread.quiet(300, "the inform ended the conversation");
  }),
  test("refuses-an-unknown-action", { essential: true, description: "a request for an action it does not perform gets refuse (or not-understood), never agree or inform" }, async (t) => {
    const thread = await Thread.open(t, request({ do: tag("agtest-unknown") }));
    await thread.next(["refuse", "not-understood"]);
  }),
  test("reports-failure", { description: "a request it cannot carry out ends in failure with a reason, agree first being optional" }, async (t) => {
    const thread = await Thread.open(t, request({ do: "fail" }));
    let answer2 = await thread.next(["agree", "failure"]);
    if (answer2.performative === "agree") answer2 = await thread.next("failure");
    t.assert(answer2.content != null && answer2.content !== "", "the failure gives no reason", { expected: "a failure with content", received: answer2 });
  }),
  test("answers-a-cancel", { description: "a request it agreed to and still holds, when cancelled, gets inform (or failure): the cancel meta-protocol" }, async (t) => {
    const thread = await Thread.open(t, request({ do: "hold" }));
    const agree = await thread.next("agree");
    await thread.reply(agree, { performative: "cancel", content: thread.opening.content ?? null });
    await thread.next(["inform", "failure"]);
  })
];

// suites/fipa/protocols/fipa-request/index.ts
var fipaRequest = cluster("protocols.fipa-request", {
  title: "FIPA Request Interaction Protocol (SC00026)",
  passive: requestPassive,
  active: requestActive
});

// suites/fipa/transports/http/passive.ts
function urls(t) {
  const { endpoint, replyUrl } = t.http;
  if (endpoint === void 0) t.skip("this channel does not know the agent's HTTP endpoint (with agtalk folders, only the adapter does)");
  if (replyUrl === void 0) t.skip("this channel has no URL the agent can reach the harness at (no loopback server or relay inbox)");
  return { endpoint, replyUrl };
}
async function post(t, endpoint, message) {
  const { status, delivery } = await t.post(endpoint, message);
  t.assert(status >= 200 && status < 300, `POST ${endpoint} answered HTTP ${status}`, { expected: "HTTP 2xx", received: delivery.status === "refused" ? delivery.reason : status });
}
var httpPassive = [
  test("answers-a-post", { essential: true, description: "a request POSTed as JSON to its endpoint by a sender that is a URL is accepted (2xx) and answered to that URL" }, async (t) => {
    const { endpoint, replyUrl } = urls(t);
    const message = { ...t.message(request({ do: "echo", text: tag("echo") })), sender: replyUrl };
    delete message.reply_to;
    await post(t, endpoint, message);
    const answer2 = await t.expect(replyOf(message));
    t.assert(receiversOf(answer2).includes(replyUrl), "the answer is not addressed to the sender's URL", { expected: { receiver: replyUrl }, received: answer2 });
  }),
  test("answers-at-reply-to-url", { essential: true, description: "a request POSTed with a reply_to URL is answered at that URL" }, async (t) => {
    const { endpoint, replyUrl } = urls(t);
    const message = { ...t.message(request({ do: "echo", text: tag("echo") })), sender: tag("agtest-elsewhere"), reply_to: replyUrl };
    await post(t, endpoint, message);
    const answer2 = await t.expect(replyOf(message));
    t.assert(receiversOf(answer2).includes(replyUrl), "the answer is not addressed to the reply_to URL", { expected: { receiver: replyUrl }, received: answer2 });
  }),
  test("refuses-a-body-that-is-not-json", { description: "a POST whose body is not JSON gets a 4xx, not a 2xx or a 5xx" }, async (t) => {
    const { endpoint } = urls(t);
    const { status } = await t.post(endpoint, "this is not a FIPA message {", { raw: true });
    t.assert(status >= 400 && status < 500, `POST ${endpoint} with a body that is not JSON answered HTTP ${status}`, { expected: "HTTP 4xx", received: status });
  })
];

// suites/fipa/transports/http/active.ts
var httpActive = [
  test("posts-to-a-url", { essential: true, description: "asked to send an inform to a URL, the inform arrives there, addressed to the URL" }, async (t) => {
    const { replyUrl } = urls(t);
    const text = tag("http");
    await t.act("send", "inform", replyUrl, text);
    const message = await t.expect({ performative: "inform", content: text });
    t.assert(receiversOf(message).includes(replyUrl), "the inform is not addressed to the URL", { expected: { receiver: replyUrl }, received: message });
  })
];

// suites/fipa/transports/http/index.ts
var http = cluster("transports.http", {
  title: "HTTP transport: JSON messages POSTed to and from URLs",
  passive: httpPassive,
  active: httpActive
});

// suites/fipa/index.ts
var fipa = defineSuite({
  id: "fipa",
  version: "1.1.0",
  title: "FIPA ACL interoperability",
  actions: FIPA_ACTIONS,
  clusters: [core, fipaRequest, fipaQuery, fipaContractNet, metadata, http]
});
var FIPA_JUNCTIONS = fipa.junctions.map((j) => j.id);

// suites/index.ts
var SUITES = { fipa };
export {
  SUITES
};
