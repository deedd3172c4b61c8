import { describe, expect, it } from "vitest";
import {
  MAX_AGENT_URL_LENGTH,
  MAX_MESSAGE_BYTES,
  PERFORMATIVES,
  isAgentAddress,
  isAgentName,
  isAgentUrl,
  isPerformative,
  messageByteLength,
  newMessageId,
  parseRoutable,
  receiversOf,
  replyTo,
  type AclMessage,
} from "../../protocol/index.js";

describe("performatives", () => {
  it("are FIPA's 22 acts, unique, lowercase with hyphens", () => {
    expect(PERFORMATIVES).toHaveLength(22);
    expect(new Set(PERFORMATIVES).size).toBe(22);
    for (const act of PERFORMATIVES) expect(act).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(PERFORMATIVES).toEqual(
      expect.arrayContaining(["accept-proposal", "cfp", "not-understood", "request-whenever"]),
    );
  });

  it("are recognised only when spelled exactly", () => {
    expect(isPerformative("query-if")).toBe(true);
    for (const value of ["Query-If", "query_if", "queryif", "", " inform", 1, null, undefined]) {
      expect(isPerformative(value)).toBe(false);
    }
  });
});

describe("agent addresses", () => {
  it("accept names of 1 to 63 lowercase letters, digits, '-', '_' and '.', starting with a letter or digit", () => {
    for (const name of ["a", "0", "ping", "my-agent_v2.1", "a".repeat(63), "a-", "9."])
      expect(isAgentName(name)).toBe(true);
    for (const name of ["", "A", "-a", ".a", "_a", "a".repeat(64), "a b", "a/b", "é", "ping\n", 7]) {
      expect(isAgentName(name)).toBe(false);
    }
  });

  it("accept absolute http(s) URLs only, byte for byte", () => {
    for (const url of ["http://localhost:8787/inbox", "https://agents.example.com/a?x=1#f", "HTTPS://EXAMPLE.COM"]) {
      expect(isAgentUrl(url)).toBe(true);
    }
    const tooLong = `https://example.com/${"a".repeat(MAX_AGENT_URL_LENGTH)}`;
    for (const url of [
      "ftp://example.com",
      "http://",
      "https:example.com",
      " http://example.com",
      "http://exa mple.com",
      "//example.com",
      tooLong,
    ]) {
      expect(isAgentUrl(url)).toBe(false);
    }
    expect(isAgentAddress("ping")).toBe(true);
    expect(isAgentAddress("https://example.com/")).toBe(true);
    expect(isAgentAddress("Ping")).toBe(false);
  });
});

describe("receiversOf", () => {
  it("lists receivers in order, once each", () => {
    expect(receiversOf({ receiver: "ping" })).toEqual(["ping"]);
    expect(receiversOf({ receiver: ["b", "a", "b"] })).toEqual(["b", "a"]);
    expect(receiversOf({ receiver: null })).toEqual([]);
    expect(receiversOf({})).toEqual([]);
  });
});

describe("newMessageId", () => {
  it("is an m- prefixed random UUID, different every time", () => {
    const ids = Array.from({ length: 100 }, () => newMessageId());
    for (const id of ids) expect(id).toMatch(/^m-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(100);
  });
});

describe("replyTo", () => {
  const request: AclMessage = {
    performative: "request",
    sender: "harness",
    receiver: "ping",
    reply_to: "collector",
    content: "ping",
    language: "text/plain",
    encoding: "utf-8",
    ontology: "agtest-ping",
    protocol: "fipa-request",
    conversation_id: "c-7f3a",
    reply_with: "r-1",
    in_reply_to: null,
    reply_by: "2026-11-21T10:00:00.000Z",
    message_id: "m-1",
  };

  it("threads the reply: reply_to, conversation, in_reply_to, protocol, ontology, language", () => {
    expect(replyTo(request, "agree")).toEqual({
      performative: "agree",
      sender: "ping",
      receiver: "collector",
      conversation_id: "c-7f3a",
      in_reply_to: "r-1",
      protocol: "fipa-request",
      ontology: "agtest-ping",
      language: "text/plain",
    });
  });

  it("answers the sender when there is no reply_to, and leaves out what the original lacks", () => {
    expect(
      replyTo({ performative: "query-if", sender: "a", receiver: ["b", "c"], reply_to: null }, "not-understood"),
    ).toEqual({
      performative: "not-understood",
      receiver: "a",
    });
  });

  it("applies the given fields last, but never changes the performative", () => {
    const reply = replyTo(request, "inform", { content: { pong: true }, sender: "other", reply_with: "r-2" });
    expect(reply).toMatchObject({
      performative: "inform",
      sender: "other",
      content: { pong: true },
      reply_with: "r-2",
    });
    const sneaky: Record<string, unknown> = { performative: "refuse" };
    expect(replyTo(request, "inform", sneaky).performative).toBe("inform");
  });

  it("builds a reply the runtime can route", () => {
    expect(parseRoutable(replyTo(request, "failure", { content: "boom" })).ok).toBe(true);
  });
});

describe("message size", () => {
  it("defaults to 256 KiB, counted in UTF-8 bytes", () => {
    expect(MAX_MESSAGE_BYTES).toBe(262_144);
    expect(messageByteLength("")).toBe(0);
    expect(messageByteLength("abc")).toBe(3);
    expect(messageByteLength("é")).toBe(2);
    expect(messageByteLength("€")).toBe(3);
    expect(messageByteLength("😀")).toBe(4);
    expect(messageByteLength("\ud800")).toBe(3); // a lone surrogate is written as U+FFFD
  });
});
