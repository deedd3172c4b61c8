import { describe, expect, it } from "vitest";
import {
  ConversationSchema,
  PROTOCOL_NAMES,
  VIOLATION_KINDS,
  advance,
  describeState,
  expire,
  isProtocolName,
  nextActs,
  openConversation,
  type AclMessage,
  type Conversation,
  type Performative,
  type ProtocolName,
  type ViolationKind,
} from "../../protocol/index.js";

const T0 = Date.parse("2026-11-21T10:00:00.000Z");
const DEADLINE = "2026-11-21T10:00:10.000Z";
const AFTER = Date.parse(DEADLINE) + 1;

/** A message of conversation c-1. Answers leave `protocol` out, as many agents do. */
function msg(
  performative: Performative,
  sender: string,
  receiver: string | string[] | null,
  extra: Partial<AclMessage> = {},
): AclMessage {
  return { performative, sender, receiver, conversation_id: "c-1", ...extra };
}

function open(first: AclMessage, now = T0): Conversation {
  const step = openConversation(first, now);
  if (step === null || !step.ok) throw new Error(`could not open: ${JSON.stringify(step)}`);
  return step.conversation;
}

const request = (): Conversation => open(msg("request", "harness", "ping", { protocol: "fipa-request" }));
const cfp = (extra: Partial<AclMessage> = { reply_by: DEADLINE }): Conversation =>
  open(msg("cfp", "harness", ["a", "b", "c"], { protocol: "fipa-contract-net", ...extra }));

type Line = readonly [act: Performative, from: string, to: string | string[], now?: number];

/** Applies every line, failing on the first violation; returns the end and each state's description. */
function play(start: Conversation, lines: readonly Line[]): { conversation: Conversation; states: string[] } {
  let conversation = start;
  const states: string[] = [];
  for (const [act, from, to, now = T0] of lines) {
    const step = advance(conversation, msg(act, from, to), now);
    if (!step.ok) throw new Error(step.violation);
    conversation = step.conversation;
    states.push(describeState(conversation));
  }
  return { conversation, states };
}

function rejection(
  conversation: Conversation,
  message: AclMessage,
  now = T0,
): { kind: ViolationKind; violation: string } {
  const step = advance(conversation, message, now);
  if (step.ok) throw new Error(`expected a violation, got ${describeState(step.conversation)}`);
  return { kind: step.kind, violation: step.violation };
}

describe("protocol names", () => {
  it("are FIPA's, recognised only when spelled exactly", () => {
    expect(PROTOCOL_NAMES).toEqual(["fipa-request", "fipa-query", "fipa-contract-net"]);
    expect(isProtocolName("fipa-query")).toBe(true);
    for (const value of ["FIPA-Request", "fipa_request", "fipa-subscribe", "", null, 1])
      expect(isProtocolName(value)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Every allowed path of fipa-request and fipa-query (SC00026, SC00027: the same diagram).

const ANSWER_PATHS: { path: string; lines: Line[]; states: string[] }[] = [
  {
    path: "agree, inform",
    lines: [
      ["agree", "ping", "harness"],
      ["inform", "ping", "harness"],
    ],
    states: ["agreed", "done (informed)"],
  },
  {
    path: "agree, failure",
    lines: [
      ["agree", "ping", "harness"],
      ["failure", "ping", "harness"],
    ],
    states: ["agreed", "done (failed)"],
  },
  { path: "refuse", lines: [["refuse", "ping", "harness"]], states: ["done (refused)"] },
  { path: "inform (agree skipped)", lines: [["inform", "ping", "harness"]], states: ["done (informed)"] },
  { path: "failure (agree skipped)", lines: [["failure", "ping", "harness"]], states: ["done (failed)"] },
  {
    path: "not-understood from the participant",
    lines: [["not-understood", "ping", "harness"]],
    states: ["done (not understood)"],
  },
  {
    path: "agree, not-understood from the participant",
    lines: [
      ["agree", "ping", "harness"],
      ["not-understood", "ping", "harness"],
    ],
    states: ["agreed", "done (not understood)"],
  },
  {
    path: "not-understood from the initiator",
    lines: [["not-understood", "harness", "ping"]],
    states: ["done (not understood)"],
  },
  {
    path: "agree, not-understood from the initiator",
    lines: [
      ["agree", "ping", "harness"],
      ["not-understood", "harness", "ping"],
    ],
    states: ["agreed", "done (not understood)"],
  },
  { path: "cancel, unanswered", lines: [["cancel", "harness", "ping"]], states: ["done (cancelled)"] },
  {
    path: "cancel, inform",
    lines: [
      ["cancel", "harness", "ping"],
      ["inform", "ping", "harness"],
    ],
    states: ["done (cancelled)", "done (cancel answered)"],
  },
  {
    path: "cancel, failure",
    lines: [
      ["cancel", "harness", "ping"],
      ["failure", "ping", "harness"],
    ],
    states: ["done (cancelled)", "done (cancel answered)"],
  },
  {
    path: "agree, cancel, inform",
    lines: [
      ["agree", "ping", "harness"],
      ["cancel", "harness", "ping"],
      ["inform", "ping", "harness"],
    ],
    states: ["agreed", "done (cancelled)", "done (cancel answered)"],
  },
];

describe.each([
  ["fipa-request", "request", "requested"],
  ["fipa-query", "query-if", "queried"],
  ["fipa-query", "query-ref", "queried"],
] as const)("%s opened with %s", (protocol, opening, waiting) => {
  const start = (): Conversation => open(msg(opening, "harness", "ping", { protocol }));

  it("opens with one waiting participant", () => {
    expect(start()).toEqual({
      protocol,
      conversation_id: "c-1",
      initiator: "harness",
      reply_to: [],
      parties: { ping: "waiting" },
      deadline: null,
      done: false,
    });
    expect(describeState(start())).toBe(waiting);
  });

  it.each(ANSWER_PATHS)("allows $path", ({ lines, states }) => {
    const played = play(start(), lines);
    expect(played.states).toEqual(states);
    expect(played.conversation.done).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Contract net (SC00029).

describe("fipa-contract-net with one participant", () => {
  const start = (): Conversation => open(msg("cfp", "harness", "a", { protocol: "fipa-contract-net" }));
  const paths: { path: string; lines: Line[]; states: string[] }[] = [
    {
      path: "propose, accept, inform",
      lines: [
        ["propose", "a", "harness"],
        ["accept-proposal", "harness", "a"],
        ["inform", "a", "harness"],
      ],
      states: ["proposed", "accepted", "done (informed)"],
    },
    {
      path: "propose, accept, failure",
      lines: [
        ["propose", "a", "harness"],
        ["accept-proposal", "harness", "a"],
        ["failure", "a", "harness"],
      ],
      states: ["proposed", "accepted", "done (failed)"],
    },
    {
      path: "propose, reject",
      lines: [
        ["propose", "a", "harness"],
        ["reject-proposal", "harness", "a"],
      ],
      states: ["proposed", "done (rejected)"],
    },
    { path: "refuse", lines: [["refuse", "a", "harness"]], states: ["done (refused)"] },
    {
      path: "not-understood from the participant",
      lines: [["not-understood", "a", "harness"]],
      states: ["done (not understood)"],
    },
    {
      path: "propose, not-understood from the initiator",
      lines: [
        ["propose", "a", "harness"],
        ["not-understood", "harness", "a"],
      ],
      states: ["proposed", "done (not understood)"],
    },
    {
      path: "propose, accept, not-understood from the participant",
      lines: [
        ["propose", "a", "harness"],
        ["accept-proposal", "harness", "a"],
        ["not-understood", "a", "harness"],
      ],
      states: ["proposed", "accepted", "done (not understood)"],
    },
    { path: "cancel", lines: [["cancel", "harness", "a"]], states: ["done (cancelled)"] },
    {
      path: "propose, cancel, inform",
      lines: [
        ["propose", "a", "harness"],
        ["cancel", "harness", "a"],
        ["inform", "a", "harness"],
      ],
      states: ["proposed", "done (cancelled)", "done (cancel answered)"],
    },
    {
      path: "propose, accept, cancel, failure",
      lines: [
        ["propose", "a", "harness"],
        ["accept-proposal", "harness", "a"],
        ["cancel", "harness", "a"],
        ["failure", "a", "harness"],
      ],
      states: ["proposed", "accepted", "done (cancelled)", "done (cancel answered)"],
    },
  ];

  it.each(paths)("allows $path", ({ lines, states }) => {
    expect(describeState(start())).toBe("waiting for a proposal");
    const played = play(start(), lines);
    expect(played.states).toEqual(states);
    expect(played.conversation.done).toBe(true);
  });
});

describe("fipa-contract-net with three participants", () => {
  it("opens one thread per receiver, with the cfp's reply_by as deadline", () => {
    expect(cfp()).toEqual({
      protocol: "fipa-contract-net",
      conversation_id: "c-1",
      initiator: "harness",
      reply_to: [],
      parties: { a: "waiting", b: "waiting", c: "waiting" },
      deadline: DEADLINE,
      done: false,
    });
    expect(describeState(cfp())).toBe("collecting proposals: 0 of 3 answered");
  });

  it("collects proposals, evaluates them and waits for the accepted participant's result", () => {
    const played = play(cfp(), [
      ["propose", "a", "harness", T0 + 1],
      ["propose", "b", "harness", T0 + 2],
      ["refuse", "c", "harness", T0 + 3],
      ["accept-proposal", "harness", "a", T0 + 4],
      ["reject-proposal", "harness", "b", T0 + 5],
      ["inform", "a", "harness", T0 + 6],
    ]);
    expect(played.states).toEqual([
      "collecting proposals: 1 of 3 answered (1 proposed)",
      "collecting proposals: 2 of 3 answered (2 proposed)",
      "evaluating proposals (2 proposed, 1 refused)",
      "evaluating proposals (1 proposed, 1 accepted, 1 refused)",
      "awaiting results (1 accepted, 1 refused, 1 rejected)",
      "done (1 informed, 1 refused, 1 rejected)",
    ]);
    expect(played.conversation.parties).toEqual({ a: "informed", b: "rejected", c: "refused" });
  });

  it("flags a late proposal and a late refusal, and accepts one sent exactly at the deadline", () => {
    const { conversation } = play(cfp(), [
      ["propose", "a", "harness", T0 + 1],
      ["refuse", "b", "harness", T0 + 2],
    ]);
    expect(rejection(conversation, msg("propose", "c", "harness"), AFTER)).toEqual({
      kind: "late",
      violation:
        "propose from c to harness: late proposal, sent after the cfp's reply_by deadline 2026-11-21T10:00:10.000Z",
    });
    expect(rejection(conversation, msg("refuse", "c", "harness"), AFTER)).toEqual({
      kind: "late",
      violation:
        "refuse from c to harness: late refusal, sent after the cfp's reply_by deadline 2026-11-21T10:00:10.000Z",
    });
    expect(rejection(conversation, msg("not-understood", "c", "harness"), AFTER).kind).toBe("late");
    expect(advance(conversation, msg("propose", "c", "harness"), Date.parse(DEADLINE)).ok).toBe(true);
  });

  it("flags an accept or a reject to a participant that refused or never proposed", () => {
    const { conversation } = play(cfp(), [
      ["propose", "a", "harness", T0 + 1],
      ["refuse", "b", "harness", T0 + 2],
    ]);
    expect(rejection(conversation, msg("accept-proposal", "harness", "b"))).toEqual({
      kind: "not-proposed",
      violation:
        "accept-proposal from harness to b: b refused the cfp; only a participant that proposed can be accepted",
    });
    expect(rejection(conversation, msg("reject-proposal", "harness", "b"))).toEqual({
      kind: "not-proposed",
      violation:
        "reject-proposal from harness to b: b refused the cfp; only a participant that proposed can be rejected",
    });
    expect(rejection(conversation, msg("accept-proposal", "harness", "c"))).toEqual({
      kind: "not-proposed",
      violation:
        "accept-proposal from harness to c: c has not proposed; only a participant that proposed can be accepted",
    });
    expect(rejection(conversation, msg("accept-proposal", "harness", "c"), AFTER)).toEqual({
      kind: "not-proposed",
      violation:
        "accept-proposal from harness to c: c never proposed (no answer before the reply_by deadline); only a participant that proposed can be accepted",
    });
  });

  it("settles participants that let the deadline pass, so the conversation can end", () => {
    const played = play(cfp(), [
      ["propose", "a", "harness", T0 + 1],
      ["propose", "b", "harness", T0 + 2],
      ["accept-proposal", "harness", "a", AFTER],
      ["reject-proposal", "harness", "b", AFTER],
      ["inform", "a", "harness", AFTER + 1],
    ]);
    expect(played.states).toEqual([
      "collecting proposals: 1 of 3 answered (1 proposed)",
      "collecting proposals: 2 of 3 answered (2 proposed)",
      "evaluating proposals (1 proposed, 1 accepted, 1 expired)",
      "awaiting results (1 accepted, 1 rejected, 1 expired)",
      "done (1 informed, 1 rejected, 1 expired)",
    ]);
  });

  it("expire settles a conversation in which nobody speaks any more", () => {
    const { conversation } = play(cfp(), [
      ["refuse", "a", "harness", T0 + 1],
      ["refuse", "b", "harness", T0 + 2],
    ]);
    expect(expire(conversation, Date.parse(DEADLINE))).toBe(conversation);
    const expired = expire(conversation, AFTER);
    expect(expired.parties).toEqual({ a: "refused", b: "refused", c: "expired" });
    expect(describeState(expired)).toBe("done (2 refused, 1 expired)");
    expect(expire(expired, AFTER + 1)).toBe(expired);
    expect(conversation.parties.c).toBe("waiting");
  });

  it("without reply_by, waits for every participant however long it takes", () => {
    const { conversation } = play(cfp({}), [
      ["refuse", "a", "harness"],
      ["refuse", "b", "harness"],
    ]);
    expect(conversation.deadline).toBeNull();
    expect(expire(conversation, Number.MAX_SAFE_INTEGER)).toBe(conversation);
    expect(advance(conversation, msg("propose", "c", "harness"), Number.MAX_SAFE_INTEGER).ok).toBe(true);
  });

  it("applies a message to several receivers only when it is allowed in every thread", () => {
    const { conversation } = play(cfp(), [
      ["propose", "a", "harness"],
      ["propose", "b", "harness"],
      ["refuse", "c", "harness"],
    ]);
    const both = advance(conversation, msg("reject-proposal", "harness", ["a", "b"]), T0);
    expect(both.ok && both.conversation.parties).toEqual({ a: "rejected", b: "rejected", c: "refused" });
    expect(rejection(conversation, msg("accept-proposal", "harness", ["a", "c"]))).toEqual({
      kind: "not-proposed",
      violation:
        "accept-proposal from harness to a, c: c refused the cfp; only a participant that proposed can be accepted",
    });
  });

  it("ends one participant's thread on not-understood or cancel, the others' go on", () => {
    const played = play(cfp(), [
      ["not-understood", "a", "harness"],
      ["cancel", "harness", "b"],
      ["propose", "c", "harness"],
      ["failure", "b", "harness"],
      ["accept-proposal", "harness", "c"],
      ["not-understood", "harness", "c"],
    ]);
    expect(played.states).toEqual([
      "collecting proposals: 1 of 3 answered (1 not understood)",
      "collecting proposals: 2 of 3 answered (1 not understood, 1 cancelled)",
      "evaluating proposals (1 proposed, 1 not understood, 1 cancelled)",
      "evaluating proposals (1 proposed, 1 not understood, 1 cancel answered)",
      "awaiting results (1 accepted, 1 not understood, 1 cancel answered)",
      "done (2 not understood, 1 cancel answered)",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Violations: every kind, with its reason.

type Case = {
  name: string;
  conversation: () => Conversation;
  message: AclMessage;
  now?: number;
  kind: ViolationKind;
  violation: string;
};

const agreed = (): Conversation => play(request(), [["agree", "ping", "harness"]]).conversation;
const informed = (): Conversation => play(request(), [["inform", "ping", "harness"]]).conversation;
const proposing = (): Conversation =>
  play(cfp(), [
    ["propose", "a", "harness"],
    ["refuse", "b", "harness"],
  ]).conversation;

const CASES: Case[] = [
  {
    name: "another conversation_id",
    conversation: request,
    message: msg("agree", "ping", "harness", { conversation_id: "c-2" }),
    kind: "wrong-conversation",
    violation: 'agree from ping to harness: belongs to conversation "c-2", not "c-1"',
  },
  {
    name: "another protocol",
    conversation: request,
    message: msg("agree", "ping", "harness", { protocol: "fipa-query" }),
    kind: "wrong-conversation",
    violation: 'agree from ping to harness: declares protocol "fipa-query" in a fipa-request conversation',
  },
  {
    name: "no sender",
    conversation: request,
    message: { performative: "agree", receiver: "harness" },
    kind: "malformed",
    violation: "agree to harness: has no sender, so it cannot be placed in the conversation",
  },
  {
    name: "an initiator's message without receiver",
    conversation: request,
    message: msg("cancel", "harness", null),
    kind: "malformed",
    violation: "cancel from harness: names no receiver, so it reaches no participant",
  },
  {
    name: "a sender that is not a party",
    conversation: request,
    message: msg("inform", "mallory", "harness"),
    kind: "not-a-party",
    violation:
      "inform from mallory to harness: mallory is not a party to this fipa-request conversation (initiator side harness; participants ping)",
  },
  {
    name: "a sender named like an Object.prototype key",
    conversation: request,
    message: msg("inform", "constructor", "harness"),
    kind: "not-a-party",
    violation:
      "inform from constructor to harness: constructor is not a party to this fipa-request conversation (initiator side harness; participants ping)",
  },
  {
    name: "the initiator addressing a stranger",
    conversation: proposing,
    message: msg("accept-proposal", "harness", "mallory"),
    kind: "not-a-party",
    violation: "accept-proposal from harness to mallory: mallory is not a party to it; the participants are a, b and c",
  },
  {
    name: "the initiator addressing itself",
    conversation: request,
    message: msg("cancel", "harness", "harness"),
    kind: "not-a-party",
    violation: "cancel from harness to harness: harness is on the initiator's side; the participants are ping",
  },
  {
    name: "a participant answering another participant",
    conversation: cfp,
    message: msg("propose", "b", "c"),
    kind: "misaddressed",
    violation: "propose from b to c: a participant answers the initiator (harness), not c",
  },
  {
    name: "an act foreign to the protocol",
    conversation: request,
    message: msg("subscribe", "harness", "ping"),
    kind: "not-in-protocol",
    violation:
      "subscribe from harness to ping: subscribe is not an act of fipa-request (the initiator sends request, cancel and not-understood; participants send refuse, agree, failure, inform and not-understood)",
  },
  {
    name: "a contract-net act in fipa-request",
    conversation: request,
    message: msg("propose", "ping", "harness"),
    kind: "not-in-protocol",
    violation:
      "propose from ping to harness: propose is not an act of fipa-request (the initiator sends request, cancel and not-understood; participants send refuse, agree, failure, inform and not-understood)",
  },
  {
    name: "a participant sending request",
    conversation: request,
    message: msg("request", "ping", "harness"),
    kind: "wrong-direction",
    violation:
      "request from ping to harness: wrong direction: in fipa-request only the initiator sends request, and ping is a participant",
  },
  {
    name: "the initiator sending propose",
    conversation: cfp,
    message: msg("propose", "harness", "a"),
    kind: "wrong-direction",
    violation:
      "propose from harness to a: wrong direction: in fipa-contract-net only participants send propose, and harness speaks for the initiator",
  },
  {
    name: "a participant sending cancel",
    conversation: agreed,
    message: msg("cancel", "ping", "harness"),
    kind: "wrong-direction",
    violation:
      "cancel from ping to harness: wrong direction: in fipa-request only the initiator sends cancel, and ping is a participant",
  },
  {
    name: "the initiator sending inform",
    conversation: agreed,
    message: msg("inform", "harness", "ping"),
    kind: "wrong-direction",
    violation:
      "inform from harness to ping: wrong direction: in fipa-request only participants send inform, and harness speaks for the initiator",
  },
  {
    name: "agree after agree",
    conversation: agreed,
    message: msg("agree", "ping", "harness"),
    kind: "out-of-order",
    violation:
      "agree from ping to harness: agree is not allowed now: ping has agreed, so ping may send only failure, inform or not-understood",
  },
  {
    name: "refuse after agree",
    conversation: agreed,
    message: msg("refuse", "ping", "harness"),
    kind: "out-of-order",
    violation:
      "refuse from ping to harness: refuse is not allowed now: ping has agreed, so ping may send only failure, inform or not-understood",
  },
  {
    name: "a second request",
    conversation: agreed,
    message: msg("request", "harness", "ping"),
    kind: "out-of-order",
    violation:
      "request from harness to ping: request only opens a fipa-request conversation, and this one is already open",
  },
  {
    name: "a contract-net result before any accept",
    conversation: cfp,
    message: msg("inform", "a", "harness"),
    kind: "out-of-order",
    violation:
      "inform from a to harness: inform is not allowed now: a has not answered yet, so a may send only propose, refuse or not-understood",
  },
  {
    name: "a second accept",
    conversation: () => play(proposing(), [["accept-proposal", "harness", "a"]]).conversation,
    message: msg("accept-proposal", "harness", "a"),
    kind: "out-of-order",
    violation:
      "accept-proposal from harness to a: accept-proposal is not allowed now: a has been accepted, so the initiator may send a only cancel or not-understood",
  },
  {
    name: "an accept to a refuser",
    conversation: proposing,
    message: msg("accept-proposal", "harness", "b"),
    kind: "not-proposed",
    violation: "accept-proposal from harness to b: b refused the cfp; only a participant that proposed can be accepted",
  },
  {
    name: "a late proposal",
    conversation: proposing,
    message: msg("propose", "c", "harness"),
    now: AFTER,
    kind: "late",
    violation:
      "propose from c to harness: late proposal, sent after the cfp's reply_by deadline 2026-11-21T10:00:10.000Z",
  },
  {
    name: "a message after the conversation is done",
    conversation: informed,
    message: msg("inform", "ping", "harness"),
    kind: "after-done",
    violation: "inform from ping to harness: the conversation is already done (ping sent its inform)",
  },
  {
    name: "a cancel after the conversation is done",
    conversation: informed,
    message: msg("cancel", "harness", "ping"),
    kind: "after-done",
    violation: "cancel from harness to ping: the conversation is already done (ping sent its inform)",
  },
  {
    name: "a second answer to a cancel",
    conversation: () =>
      play(request(), [
        ["cancel", "harness", "ping"],
        ["inform", "ping", "harness"],
      ]).conversation,
    message: msg("failure", "ping", "harness"),
    kind: "after-done",
    violation:
      "failure from ping to harness: the conversation is already done (ping was cancelled and answered the cancel)",
  },
  {
    name: "a message in a thread that has ended while others go on",
    conversation: proposing,
    message: msg("propose", "b", "harness"),
    kind: "after-done",
    violation: "propose from b to harness: b's thread has already ended (b refused)",
  },
];

describe("violations", () => {
  it.each(CASES)("flags $name", ({ conversation, message, now, kind, violation }) => {
    const before = conversation();
    expect(rejection(before, message, now)).toEqual({ kind, violation });
  });

  it("cover every kind", () => {
    expect([...new Set(CASES.map((c) => c.kind))].sort()).toEqual([...VIOLATION_KINDS].sort());
  });
});

// ---------------------------------------------------------------------------------------------
// Opening.

describe("openConversation", () => {
  it("ignores messages that open no known protocol", () => {
    for (const protocol of [undefined, null, "fipa-subscribe", "FIPA-Request", ""]) {
      expect(openConversation(msg("request", "harness", "ping", { protocol }), T0)).toBeNull();
    }
  });

  it.each<{ name: string; message: AclMessage; kind: ViolationKind; violation: string }>([
    {
      name: "an act that does not open the protocol",
      message: msg("inform", "ping", "harness", { protocol: "fipa-request" }),
      kind: "out-of-order",
      violation:
        'inform from ping to harness: a fipa-request conversation opens with request, and no fipa-request conversation "c-1" is open',
    },
    {
      name: "an act foreign to the protocol",
      message: msg("subscribe", "harness", "ping", { protocol: "fipa-query" }),
      kind: "not-in-protocol",
      violation:
        "subscribe from harness to ping: subscribe is not an act of fipa-query, which opens with query-if or query-ref",
    },
    {
      name: "no sender",
      message: { performative: "cfp", receiver: ["a", "b"], protocol: "fipa-contract-net" },
      kind: "malformed",
      violation: "cfp to a, b: opens a fipa-contract-net conversation without a sender, so it has no initiator",
    },
    {
      name: "no receiver",
      message: msg("request", "harness", [], { protocol: "fipa-request" }),
      kind: "malformed",
      violation: "request from harness: opens a fipa-request conversation without a receiver, so it has no participant",
    },
    {
      name: "the sender among its receivers",
      message: msg("cfp", "harness", ["a", "harness"], { protocol: "fipa-contract-net" }),
      kind: "malformed",
      violation: "cfp from harness to a, harness: harness cannot be both the initiator and a participant",
    },
    {
      name: "an unreadable reply_by (a message built in code)",
      message: msg("cfp", "harness", "a", { protocol: "fipa-contract-net", reply_by: "tomorrow" }),
      kind: "malformed",
      violation: 'cfp from harness to a: reply_by "tomorrow" is not a date-time',
    },
  ])("flags $name", ({ message, kind, violation }) => {
    expect(openConversation(message, T0)).toEqual({ ok: false, kind, violation });
  });

  it("keeps reply_to addresses as the initiator's side, and reply_by only as a contract-net deadline", () => {
    const conversation = open(
      msg("request", "harness", ["a", "b"], {
        protocol: "fipa-request",
        reply_to: ["harness", "collector", "a"],
        reply_by: DEADLINE,
      }),
    );
    expect(conversation).toMatchObject({
      reply_to: ["collector"],
      deadline: null,
      parties: { a: "waiting", b: "waiting" },
    });
    expect(describeState(conversation)).toBe("2 waiting");
    const played = play(conversation, [
      ["agree", "a", "collector"],
      ["refuse", "b", ["harness", "collector"]],
      ["cancel", "collector", "a"],
    ]);
    expect(played.states).toEqual(["1 waiting, 1 agreed", "1 agreed, 1 refused", "done (1 refused, 1 cancelled)"]);
    expect(rejection(conversation, msg("agree", "a", "b")).violation).toBe(
      "agree from a to b: a participant answers the initiator's side (harness or collector), not b",
    );
  });

  it("settles at once a cfp whose deadline has already passed", () => {
    const conversation = open(
      msg("cfp", "harness", ["a", "b"], { protocol: "fipa-contract-net", reply_by: DEADLINE }),
      AFTER,
    );
    expect(describeState(conversation)).toBe("done (2 expired)");
  });

  it("accepts answers without protocol or conversation_id", () => {
    const played = play(request(), [["agree", "ping", "harness"]]);
    const step = advance(played.conversation, { performative: "inform", sender: "ping", receiver: "harness" }, T0);
    expect(step.ok && describeState(step.conversation)).toBe("done (informed)");
  });
});

// ---------------------------------------------------------------------------------------------
// Data: plain, storable, never mutated.

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

describe("conversation data", () => {
  it("survives a JSON round trip and reads back through ConversationSchema", () => {
    const conversation = proposing();
    const stored = ConversationSchema.parse(JSON.parse(JSON.stringify(conversation)));
    expect(stored).toEqual(conversation);
    expect(advance(stored, msg("accept-proposal", "harness", "a"), T0)).toEqual(
      advance(conversation, msg("accept-proposal", "harness", "a"), T0),
    );
    expect(ConversationSchema.safeParse({ ...conversation, parties: { a: "asleep" } }).success).toBe(false);
  });

  it("is never mutated, whether a message is accepted or rejected", () => {
    const conversation = deepFreeze(proposing());
    const snapshot = structuredClone(conversation);
    const accepted = advance(conversation, deepFreeze(msg("accept-proposal", "harness", "a")), AFTER);
    const rejected = advance(conversation, deepFreeze(msg("accept-proposal", "harness", "b")), T0);
    expect(accepted.ok).toBe(true);
    expect(rejected.ok).toBe(false);
    expect(conversation).toEqual(snapshot);
    expect(accepted.ok && accepted.conversation).not.toBe(conversation);
  });

  it("nextActs lists what each side may send in a participant's thread", () => {
    expect(nextActs(request(), "ping")).toEqual({
      initiator: ["cancel", "not-understood"],
      participant: ["refuse", "agree", "failure", "inform", "not-understood"],
    });
    expect(nextActs(proposing(), "a")).toEqual({
      initiator: ["accept-proposal", "reject-proposal", "cancel", "not-understood"],
      participant: ["not-understood"],
    });
    const cancelled = play(request(), [["cancel", "harness", "ping"]]).conversation;
    expect(nextActs(cancelled, "ping")).toEqual({ initiator: [], participant: ["failure", "inform"] });
    expect(nextActs(informed(), "ping")).toEqual({ initiator: [], participant: [] });
    expect(nextActs(request(), "constructor")).toEqual({ initiator: [], participant: [] });
  });
});

/** Compile-time check: ProtocolName is exactly the listed names. */
const names: readonly ProtocolName[] = PROTOCOL_NAMES;
void names;
