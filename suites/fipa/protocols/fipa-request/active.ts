import { receiversOf, test, type AclMessage, type TestContext } from "../../../../harness/core/index.js";
import { Thread } from "../../thread.js";
import { harnessAddress, tag } from "../../vocabulary.js";

/** Asks the agent (agact `request`) to request something of the harness; waits for the request. */
async function requested(t: TestContext): Promise<{ message: AclMessage; content: string; to: string }> {
  const to = harnessAddress(t);
  const content = tag("request");
  await t.act("request", to, content);
  return { message: await t.expect({ performative: "request" }), content, to };
}

/**
 * `protocols.fipa-request.active`: the agent as the initiator of FIPA Request (SC00026): it opens
 * the conversation properly and takes every answer the protocol allows without answering back.
 *
 * @see http://www.fipa.org/specs/fipa00026/SC00026H.html
 */
export const requestActive = [
  test("sends-a-request", {
    essential: true,
    description:
      "asked to, it sends RECEIVER a fipa-request request with the content asked for, a conversation_id and a reply_with",
  }, async (t) => {
    const { message, content, to } = await requested(t);
    t.assertField(message, "protocol", "fipa-request", "the request does not declare protocol fipa-request");
    t.assertField(message, "content", content, "the request does not carry the content asked for");
    t.assert(receiversOf(message).includes(to), "the request is not addressed to the receiver asked for", {
      expected: { receiver: to },
      received: message,
    });
    for (const field of ["conversation_id", "reply_with"]) {
      t.assert(
        typeof message[field] === "string" && message[field] !== "",
        `the request has no ${field} to thread answers by`,
        { expected: { [field]: "a non-empty string" }, received: message },
      );
    }
    Thread.join(t, message);
  }),
  test("takes-agree-and-inform", {
    essential: true,
    description: "an agree then an inform in its conversation get no answer (it understood both)",
  }, async (t) => {
    const { message } = await requested(t);
    const thread = Thread.join(t, message);
    await thread.reply(message, { performative: "agree" });
    await thread.reply(message, { performative: "inform", content: { done: message.content ?? null } });
    await thread.quiet("agree and inform need no answer");
  }),
  test("takes-a-refusal", {
    description: "a refuse gets no answer, and the agent does not insist in that conversation",
  }, async (t) => {
    const { message } = await requested(t);
    const thread = Thread.join(t, message);
    await thread.reply(message, { performative: "refuse", content: "agtest refuses on purpose" });
    await thread.quiet("a refusal ends the conversation");
  }),
  test("takes-a-failure", { description: "an agree then a failure get no answer" }, async (t) => {
    const { message } = await requested(t);
    const thread = Thread.join(t, message);
    await thread.reply(message, { performative: "agree" });
    await thread.reply(message, { performative: "failure", content: "agtest fails on purpose" });
    await thread.quiet("a failure ends the conversation");
  }),
];
