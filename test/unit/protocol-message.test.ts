import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AGENT_NAME_PATTERN,
  MAX_CONTENT_DEPTH,
  MESSAGE_FIELDS,
  PERFORMATIVES,
  isAgentAddress,
  isPerformative,
  parseMessage,
  parseMessageText,
  parseRoutable,
  parseRoutableText,
  type MessageError,
  type ParseResult,
} from "../../protocol/index.js";

/** The example message of ARCHITECTURE.md, "Messages". */
const EXAMPLE = `{
  "performative": "request",
  "sender": "harness",
  "receiver": "ping",
  "reply_to": "harness",
  "content": "ping",
  "language": "text/plain",
  "encoding": "utf-8",
  "ontology": "agtest-ping",
  "protocol": "fipa-request",
  "conversation_id": "c-7f3a",
  "reply_with": "r-1",
  "in_reply_to": null,
  "reply_by": "2026-11-21T10:00:00.000Z",
  "message_id": "m-..."
}`;

const PROPERTY = { seed: 42, numRuns: 500 } as const;
const TEXT_FIELDS = [
  "language",
  "encoding",
  "ontology",
  "protocol",
  "conversation_id",
  "reply_with",
  "in_reply_to",
  "message_id",
] as const;
const KNOWN_FIELDS: ReadonlySet<string> = new Set(MESSAGE_FIELDS);

function errorOf<M>(result: ParseResult<M>): MessageError {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.message)}`);
  return result.error;
}

describe("parseMessage: examples", () => {
  it("accepts the example message of ARCHITECTURE.md, unchanged", () => {
    const result = parseMessageText(EXAMPLE);
    expect(result).toEqual({ ok: true, message: JSON.parse(EXAMPLE) });
    expect(parseRoutableText(EXAMPLE).ok).toBe(true);
  });

  it("needs only a performative", () => {
    for (const performative of PERFORMATIVES) {
      expect(parseMessage({ performative })).toEqual({ ok: true, message: { performative } });
    }
  });

  it("accepts JSON content, http(s) receivers, arrays of receivers and date-times with offsets", () => {
    const message = {
      performative: "inform",
      sender: "https://agents.example.com/inbox?id=7",
      receiver: ["ping", "http://localhost:8787/v1/agents/pong/inbox", "a.b_c-d"],
      reply_to: ["harness"],
      content: { items: [1, "two", null, true, { deep: [] }] },
      reply_by: "2026-11-21T12:00:00+02:00",
    };
    expect(parseMessage(message)).toEqual({ ok: true, message });
  });

  it("keeps unknown keys (user-defined parameters) as they are", () => {
    const message = { performative: "inform", "X-Trace": { id: 7 }, extra: [1, 2] };
    expect(parseMessage(message)).toEqual({ ok: true, message });
  });

  it("drops a __proto__ key without touching the result's prototype", () => {
    const result = parseMessageText('{"performative":"inform","__proto__":{"polluted":true}}');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.getPrototypeOf(result.message)).toBe(Object.prototype);
    expect(Object.keys(result.message)).toEqual(["performative"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("reports a bad performative with the list of FIPA's acts and the value it got", () => {
    const error = errorOf(parseMessage({ performative: "hello" }));
    expect(error).toMatchObject({ code: "INVALID_MESSAGE", field: "performative" });
    expect(error.message).toMatch(/^performative: expected one of FIPA's 22 acts \(accept-proposal, agree, /);
    expect(error.message).toContain("subscribe)");
    expect(error.message).toMatch(/got "hello"$/);
  });

  it("points at the right spelling of a performative written in the wrong case", () => {
    expect(errorOf(parseMessage({ performative: "QUERY_IF" })).message).toMatch(/did you mean "query-if"\?$/);
  });

  it("says that a missing performative is missing", () => {
    expect(errorOf(parseMessage({ sender: "a" })).message).toMatch(/^performative: .*but it is missing$/);
  });

  it.each([
    [42, "got 42"],
    [null, "got null"],
    [[], "got an empty array"],
    ["request", 'got "request"'],
  ])("rejects a message that is not an object (%j) as a whole", (input, got) => {
    const error = errorOf(parseMessage(input));
    expect(error.field).toBe("(message)");
    expect(error.message).toBe(`(message): expected a JSON object (a FIPA ACL message), ${got}`);
  });

  it("rejects text that is not JSON with field (body)", () => {
    const error = errorOf(parseMessageText('{"performative": "inform",'));
    expect(error.field).toBe("(body)");
    expect(error.message).toMatch(
      /^\(body\): expected a FIPA ACL message as JSON, but the text is not valid JSON \(.+\)$/,
    );
    expect(errorOf(parseRoutableText("")).field).toBe("(body)");
  });
});

describe("parseMessage: every field type error names its field", () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["performative", { performative: 3 }, "performative", /expected one of FIPA's 22 acts .*, got 3$/],
    ["sender", { sender: "Not A Name" }, "sender", /expected an agent name .* or an http\(s\) URL, got "Not A Name"$/],
    ["sender", { sender: ["a"] }, "sender", /got an array of 1 item$/],
    ["sender", { sender: "ftp://example.com/" }, "sender", /got "ftp:\/\/example.com\/"$/],
    ["receiver", { receiver: 5 }, "receiver", /expected an agent name or http\(s\) URL, or an array of them, got 5$/],
    ["receiver", { receiver: { name: "a" } }, "receiver", /got an object$/],
    ["receiver", { receiver: ["ok", "BAD"] }, "receiver.1", /^receiver\.1: expected an agent name .*, got "BAD"$/],
    ["receiver", { receiver: ["ok", 1] }, "receiver.1", /got 1$/],
    ["reply_to", { reply_to: [null] }, "reply_to.0", /got null$/],
    [
      "content",
      { content: { a: [1, undefined] } },
      "content.a.1",
      /expected a JSON value, but undefined is not a JSON value$/,
    ],
    ["content", { content: Number.NaN }, "content", /NaN is not a JSON number$/],
    ["content", { content: { when: new Date(0) } }, "content.when", /a Date is not a plain JSON object$/],
    ["content", { content: 10n }, "content", /bigint is not a JSON value$/],
    [
      "reply_by",
      { reply_by: "tomorrow" },
      "reply_by",
      /expected an ISO 8601 date-time with a time zone, .*, got "tomorrow"$/,
    ],
    ["reply_by", { reply_by: "2026-11-21T10:00:00" }, "reply_by", /got "2026-11-21T10:00:00"$/],
    ["reply_by", { reply_by: "2026-02-30T10:00:00Z" }, "reply_by", /got "2026-02-30T10:00:00Z"$/],
    ["reply_by", { reply_by: 1_700_000_000_000 }, "reply_by", /got 1700000000000$/],
    ...TEXT_FIELDS.map((field): [string, Record<string, unknown>, string, RegExp] => [
      field,
      { [field]: 7 },
      field,
      /expected a string or null, got 7$/,
    ]),
  ];

  it.each(cases)("%s, case %#", (_name, fields, field, message) => {
    const error = errorOf(parseMessage({ performative: "inform", ...fields }));
    expect(error.code).toBe("INVALID_MESSAGE");
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(error.message).toMatch(message);
  });

  it("accepts null for every optional field but content's JSON null", () => {
    const nulls = Object.fromEntries(MESSAGE_FIELDS.filter((f) => f !== "performative").map((f) => [f, null]));
    expect(parseMessage({ performative: "inform", ...nulls }).ok).toBe(true);
  });

  it("rejects cyclic and too deeply nested content without overflowing the stack", () => {
    const cyclic: Record<string, unknown> = { a: [] };
    (cyclic["a"] as unknown[]).push(cyclic);
    expect(errorOf(parseMessage({ performative: "inform", content: cyclic })).field).toBe("content.a.0");

    const tooDeep = `${"[".repeat(MAX_CONTENT_DEPTH + 1)}${"]".repeat(MAX_CONTENT_DEPTH + 1)}`;
    const deepest = `${"[".repeat(MAX_CONTENT_DEPTH)}${"]".repeat(MAX_CONTENT_DEPTH)}`;
    expect(parseMessageText(`{"performative":"inform","content":${deepest}}`).ok).toBe(true);
    expect(errorOf(parseMessageText(`{"performative":"inform","content":${tooDeep}}`)).message).toBe(
      `content: expected a JSON value, but it is nested deeper than ${MAX_CONTENT_DEPTH} levels`,
    );
    const abyss = `{"performative":"inform","content":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(errorOf(parseMessageText(abyss)).field).toBe("content");
  });

  it("checks shared sub-objects once (no exponential walk)", () => {
    let shared: unknown = "leaf";
    for (let i = 0; i < 60; i++) shared = { left: shared, right: shared };
    expect(parseMessage({ performative: "inform", content: shared }).ok).toBe(true);
  });

  it("never throws, even on objects whose getters throw", () => {
    const hostile = Object.defineProperty({ performative: "inform" }, "sender", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    expect(errorOf(parseMessage(hostile))).toMatchObject({
      field: "(message)",
      message: "(message): could not be read (boom)",
    });
  });
});

describe("parseRoutable", () => {
  it("requires a sender and at least one receiver", () => {
    expect(errorOf(parseRoutable({ performative: "inform", receiver: "b" })).message).toMatch(
      /^sender: .*but it is missing$/,
    );
    expect(errorOf(parseRoutable({ performative: "inform", sender: "a" })).message).toMatch(
      /^receiver: .*but it is missing$/,
    );
    expect(errorOf(parseRoutable({ performative: "inform", sender: null, receiver: "b" })).field).toBe("sender");
    expect(errorOf(parseRoutable({ performative: "inform", sender: "a", receiver: [] })).message).toBe(
      "receiver: expected at least one receiver, got an empty array",
    );
    expect(errorOf(parseRoutable({ performative: "inform", sender: "a", receiver: ["b", "B"] })).field).toBe(
      "receiver.1",
    );
  });

  it("accepts what the runtime can route and keeps extra keys", () => {
    const message = { performative: "cfp", sender: "a", receiver: ["b", "https://c.example/"], x: 1 };
    expect(parseRoutable(message)).toEqual({ ok: true, message });
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests. Arbitraries for each field build random valid messages; an independent,
// hand-written oracle decides what "genuinely valid" means for junk.

const agentName = fc.stringMatching(AGENT_NAME_PATTERN);
const agentUrl = fc.webUrl({ validSchemes: ["http", "https"], withQueryParameters: true, withFragments: true });
const address = fc.oneof(agentName, agentUrl);
const addresses = fc.oneof(address, fc.array(address, { maxLength: 4 }));
const anyText = fc.string({ unit: "binary" });
const optionalText = fc.option(anyText, { nil: null });
const dateTime = fc
  .tuple(
    fc.date({
      min: new Date("0001-01-01T00:00:00.000Z"),
      max: new Date("9999-12-31T23:59:59.999Z"),
      noInvalidDate: true,
    }),
    fc.constantFrom("Z", "+00:00", "+02:00", "-05:30", "+14:00"),
    fc.boolean(),
  )
  .map(([date, zone, millis]) => {
    const iso = date.toISOString().replace(/Z$/, zone);
    return millis ? iso : iso.replace(/\.\d{3}/, "");
  });
const content = fc.oneof(anyText, fc.jsonValue());
const extraKey = anyText.filter((key) => !KNOWN_FIELDS.has(key) && key !== "__proto__");

const validMessage = fc
  .tuple(
    fc.record(
      {
        performative: fc.constantFrom(...PERFORMATIVES),
        sender: fc.option(address, { nil: null }),
        receiver: fc.option(addresses, { nil: null }),
        reply_to: fc.option(addresses, { nil: null }),
        content,
        language: optionalText,
        encoding: optionalText,
        ontology: optionalText,
        protocol: optionalText,
        conversation_id: optionalText,
        reply_with: optionalText,
        in_reply_to: optionalText,
        reply_by: fc.option(dateTime, { nil: null }),
        message_id: optionalText,
      },
      { requiredKeys: ["performative"] },
    ),
    fc.dictionary(extraKey, fc.jsonValue(), { maxKeys: 3 }),
  )
  .map(([fields, extra]) => ({ ...extra, ...fields }));

/** Wrong values for each field, used to break one field of a valid message. */
const notAString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.array(anyText, { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
);
const notAnAddress = fc.oneof(
  notAString,
  anyText.filter((s) => !isAgentAddress(s)),
);
const wrong: Record<string, fc.Arbitrary<unknown>> = {
  performative: fc.oneof(
    fc.constant(null),
    notAString,
    anyText.filter((s) => !isPerformative(s)),
  ),
  sender: fc.oneof(notAnAddress, fc.array(agentName, { minLength: 1, maxLength: 2 })),
  receiver: fc.oneof(
    notAnAddress.filter((v) => !Array.isArray(v)),
    fc.array(notAnAddress, { minLength: 1, maxLength: 3 }),
  ),
  reply_to: fc.oneof(
    notAnAddress.filter((v) => !Array.isArray(v)),
    fc.array(notAnAddress, { minLength: 1, maxLength: 3 }),
  ),
  content: fc.oneof(
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    fc.bigInt(),
    fc.date(),
    fc.constant(new Map()),
    fc.jsonValue().map((value) => ({ value, broken: [undefined] })),
  ),
  reply_by: fc.oneof(
    notAString,
    fc.date(),
    anyText.filter((s) => !/^\d{4}-/.test(s)),
  ),
  ...Object.fromEntries(TEXT_FIELDS.map((field) => [field, notAString])),
};
const brokenMessage = fc.tuple(validMessage, fc.constantFrom(...MESSAGE_FIELDS)).chain(([message, field]) =>
  (wrong[field] ?? fc.constant(Symbol("no arbitrary"))).map((value) => ({
    message: { ...message, [field]: value },
    field,
  })),
);

function isJson(value: unknown, depth = 0): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || depth >= MAX_CONTENT_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      if (!(i in value) || value[i] === undefined || !isJson(value[i], depth + 1)) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((item) => item === undefined || isJson(item, depth + 1));
}

const DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const isAddressList = (v: unknown) =>
  isAgentAddress(v) || (Array.isArray(v) && Array.from({ length: v.length }, (_, i) => v[i]).every(isAgentAddress));

/** What the schema should accept, written independently of it. */
function isValidMessage(input: unknown): boolean {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return false;
  const m = input as Record<string, unknown>;
  const optional = (key: string, ok: (v: unknown) => boolean) => m[key] === undefined || m[key] === null || ok(m[key]);
  return (
    isPerformative(m["performative"]) &&
    optional("sender", isAgentAddress) &&
    optional("receiver", isAddressList) &&
    optional("reply_to", isAddressList) &&
    (m["content"] === undefined || isJson(m["content"])) &&
    optional("reply_by", (v) => typeof v === "string" && DATE_TIME.test(v) && !Number.isNaN(Date.parse(v))) &&
    TEXT_FIELDS.every((key) => optional(key, (v) => typeof v === "string"))
  );
}

/** Accepted exactly when genuinely valid; rejected with a field and a sentence that starts with it. */
function expectJudgedCorrectly(input: unknown, result: ParseResult<unknown>): void {
  if (result.ok) {
    expect(isValidMessage(input)).toBe(true);
    return;
  }
  expect(isValidMessage(input)).toBe(false);
  expect(result.error.code).toBe("INVALID_MESSAGE");
  expect(result.error.field).not.toBe("");
  expect(result.error.message.startsWith(`${result.error.field}: `)).toBe(true);
}

describe("parseMessage: properties (fast-check, seed 42)", () => {
  it("valid messages round-trip through JSON.stringify and parseMessageText unchanged", () => {
    fc.assert(
      fc.property(validMessage, (message) => {
        expect(isValidMessage(message)).toBe(true);
        expect(parseMessageText(JSON.stringify(message))).toEqual({ ok: true, message });
        expect(parseMessage(message)).toEqual({ ok: true, message });
      }),
      PROPERTY,
    );
  });

  it("a message with one wrongly typed field is rejected, naming that field", () => {
    fc.assert(
      fc.property(brokenMessage, ({ message, field }) => {
        const error = errorOf(parseMessage(message));
        expect(error.field === field || error.field.startsWith(`${field}.`)).toBe(true);
        expect(error.message.startsWith(`${error.field}: `)).toBe(true);
      }),
      PROPERTY,
    );
  });

  it("anything at all is judged correctly, without an exception", () => {
    const junk = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
    });
    fc.assert(
      fc.property(junk, (input) => expectJudgedCorrectly(input, parseMessage(input))),
      PROPERTY,
    );
  });

  it("objects with the message's own keys holding random values are judged correctly", () => {
    const key = fc.oneof(fc.constantFrom(...MESSAGE_FIELDS), extraKey);
    const value = fc.oneof(
      fc.anything({ maxDepth: 2, withNullPrototype: true, withSparseArray: true }),
      fc.constantFrom(...PERFORMATIVES),
      address,
      dateTime,
    );
    const objects = fc.oneof(
      fc.dictionary(key, value, { maxKeys: 6 }),
      fc.dictionary(key, value, { maxKeys: 6 }).map((fields) => ({ performative: "inform", ...fields })),
    );
    fc.assert(
      fc.property(objects, (input) => expectJudgedCorrectly(input, parseMessage(input))),
      PROPERTY,
    );
  });

  it("random text, random JSON and damaged messages are judged correctly, without an exception", () => {
    const damaged = fc
      .tuple(
        validMessage.map((m) => JSON.stringify(m)),
        fc.nat(),
        fc.nat(),
      )
      .map(
        ([text, at, length]) =>
          text.slice(0, at % (text.length + 1)) + text.slice((at % (text.length + 1)) + (length % 8)),
      );
    const texts = fc.oneof(anyText, fc.json(), damaged);
    fc.assert(
      fc.property(texts, (text) => {
        const result = parseMessageText(text);
        let parsed: unknown;
        try {
          parsed = JSON.parse(text) as unknown;
        } catch {
          expect(result).toMatchObject({ ok: false, error: { field: "(body)" } });
          return;
        }
        expectJudgedCorrectly(parsed, result);
      }),
      PROPERTY,
    );
  });
});
