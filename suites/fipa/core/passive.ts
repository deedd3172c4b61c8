import { parseRoutable, replyOf, test } from "../../../harness/core/index.js";
import { anyRequest, askAnything, assertAddressedTo } from "./shared.js";

/**
 * `core.passive`: how the agent answers, whatever it is for. Threading rules are FIPA SC00061's
 * (conversation-id, reply-with / in-reply-to, reply-to); not-understood is SC00037's.
 *
 * @see http://www.fipa.org/specs/fipa00061/SC00061G.html
 * @see http://www.fipa.org/specs/fipa00037/SC00037J.html
 */
export const corePassive = [
  test("answers-a-request", {
    essential: true,
    description: "a request gets an answer (any performative) in time",
  }, async (t) => {
    await askAnything(t);
  }),
  test("reply-is-well-formed", {
    essential: true,
    description: "the answer is a FIPA ACL message with a sender and a receiver",
  }, async (t) => {
    const { reply } = await askAnything(t);
    const routable = parseRoutable(reply);
    if (!routable.ok)
      t.fail(`the answer cannot be routed: ${routable.error.message}`, {
        expected: "a message with sender and receiver",
        received: reply,
      });
  }),
  test("reply-echoes-conversation-id", {
    essential: true,
    description: "the answer carries the request's conversation_id",
  }, async (t) => {
    const { request, reply } = await askAnything(t);
    t.assertField(
      reply,
      "conversation_id",
      request.conversation_id,
      "the answer does not carry the request's conversation_id",
    );
  }),
  test("reply-quotes-reply-with", {
    essential: true,
    description: "the answer's in_reply_to is the request's reply_with",
  }, async (t) => {
    const { request, reply } = await askAnything(t);
    t.assertField(reply, "in_reply_to", request.reply_with, "the answer's in_reply_to is not the request's reply_with");
  }),
  test("reply-goes-to-requester", {
    essential: true,
    description: "the answer is addressed to the request's reply_to, else its sender",
  }, async (t) => {
    const { request, reply } = await askAnything(t);
    const requester = typeof request.reply_to === "string" ? request.reply_to : t.self;
    assertAddressedTo(t, reply, requester, "the answer is not addressed to whoever asked");
  }),
  test("reply-honours-reply-to", {
    essential: true,
    description: "when reply_to and sender differ, the answer goes to reply_to (not the sender)",
  }, async (t) => {
    // The sender is an address nobody answers at: an answer sent there never reaches the harness.
    const request = {
      ...anyRequest(t),
      sender: `agtest-elsewhere-${crypto.randomUUID().slice(0, 8)}`,
      reply_to: t.replyTo ?? t.self,
    };
    await t.send(request);
    const reply = await t.expect(replyOf(request));
    assertAddressedTo(t, reply, request.reply_to, "the answer is not addressed to the request's reply_to");
  }),
  test("reply-comes-from-agent", {
    essential: true,
    description: "the answer's sender is the agent's own address",
  }, async (t) => {
    const { reply } = await askAnything(t);
    t.assertField(reply, "sender", t.agent, "the answer does not name the agent as its sender");
  }),
  test("reply-echoes-protocol", { description: "the answer keeps the request's protocol and ontology" }, async (t) => {
    const { request, reply } = await askAnything(t);
    t.assertField(reply, "protocol", request.protocol, "the answer drops or changes the protocol");
    t.assertField(reply, "ontology", request.ontology, "the answer drops or changes the ontology");
  }),
  test("conversations-stay-apart", {
    description: "two requests in two conversations get answers threaded to each",
  }, async (t) => {
    const first = anyRequest(t);
    const second = anyRequest(t);
    await t.send(first);
    await t.send(second);
    for (const request of [first, second]) {
      const reply = await t.expect({ in_reply_to: request.reply_with });
      t.assertField(reply, "conversation_id", request.conversation_id, "an answer carries the other conversation's id");
    }
  }),
  test("tolerates-user-defined-parameters", {
    description: "a request with a user-defined X- parameter is answered as usual",
  }, async (t) => {
    const request = { ...anyRequest(t), "X-agtest-trace": "core" };
    await t.send(request);
    const reply = await t.expect();
    t.assertField(
      reply,
      "in_reply_to",
      request.reply_with,
      "the answer to a request with an X- parameter is not threaded",
    );
  }),
  ...notUnderstood(),
];

function notUnderstood() {
  const nonsense = () => ({ "agtest-unintelligible": crypto.randomUUID() });
  return [
    test("not-understood.unintelligible-content", {
      essential: true,
      description: "content the agent cannot understand gets not-understood",
    }, async (t) => {
      const request = t.message({
        performative: "request",
        ontology: `agtest-unknown-${crypto.randomUUID().slice(0, 8)}`,
        language: "application/x-agtest-nonsense",
        content: nonsense(),
      });
      await t.send(request);
      const reply = await t.expect();
      t.assertField(reply, "performative", "not-understood", "unintelligible content did not get not-understood");
    }),
    test("not-understood.says-why", {
      description: "a not-understood carries content saying what was not understood",
    }, async (t) => {
      await t.send(t.message({ performative: "request", ontology: "agtest-unknown", content: nonsense() }));
      const reply = await t.expect({ performative: "not-understood" });
      const content = reply.content;
      t.assert(content !== undefined && content !== null && content !== "", "the not-understood gives no reason", {
        expected: "a not-understood with content",
        received: reply,
      });
    }),
    test("not-understood.unknown-performative", {
      description: "a message with an unknown performative gets not-understood",
    }, async (t) => {
      // Sent raw: no FIPA library would build it. A hosted agent's runtime refuses it before the
      // agent runs (400 INVALID_MESSAGE): the sender learns it was not understood, so that passes, noted.
      const message = { ...t.message({ performative: "request", content: "agtest" }), performative: "xyzzy" };
      const delivery = await t.trySend(message);
      if (delivery.status === "refused") {
        t.note(
          `the transport refused it before the agent saw it (${delivery.reason.slice(0, 100)}…); the agent itself was not exercised`,
        );
        return;
      }
      const reply = await t.expect();
      t.assertField(reply, "performative", "not-understood", "an unknown performative did not get not-understood");
    }),
    test("not-understood.is-not-answered", {
      description: "a not-understood sent to the agent gets no answer (no loops)",
      timeout: 2_000,
    }, async (t) => {
      await t.send(t.message({ performative: "not-understood", content: "agtest: nothing to understand" }));
      await t.expectNone(undefined);
    }),
  ];
}
