import { parseRoutable, receiversOf, test, type AclMessage, type TestContext } from "../../../harness/core/index.js";

/** Asks the agent (agact `send`) to inform the harness, and waits for that message. */
async function informed(t: TestContext): Promise<{ message: AclMessage; to: string; text: string }> {
  const to = t.replyTo ?? t.self;
  const text = `agtest-${crypto.randomUUID().slice(0, 8)}`;
  await t.act("send", "inform", to, text);
  return { message: await t.expect({ performative: "inform" }), to, text };
}

/**
 * `core.active`: messages the agent starts on its own (asked through the backchannel's `send`)
 * are well-formed, name their sender and receiver, and open a conversation.
 */
export const coreActive = [
  test("sends-when-asked", {
    essential: true,
    description: "asked to send an inform to the harness, the agent sends it with that content",
  }, async (t) => {
    const { message, text } = await informed(t);
    t.assertField(message, "content", text, "the message does not carry the content asked for");
  }),
  test("message-is-well-formed", {
    essential: true,
    description: "the message has a sender and a receiver",
  }, async (t) => {
    const { message } = await informed(t);
    const routable = parseRoutable(message);
    if (!routable.ok)
      t.fail(`the message cannot be routed: ${routable.error.message}`, {
        expected: "a message with sender and receiver",
        received: message,
      });
  }),
  test("names-itself-as-sender", {
    essential: true,
    description: "the message's sender is the agent's own address",
  }, async (t) => {
    const { message } = await informed(t);
    t.assertField(message, "sender", t.agent, "the message does not name the agent as its sender");
  }),
  test("addresses-the-receiver", {
    essential: true,
    description: "the message is addressed to the receiver asked for",
  }, async (t) => {
    const { message, to } = await informed(t);
    t.assert(receiversOf(message).includes(to), "the message is not addressed to the receiver asked for", {
      expected: { receiver: to },
      received: message,
    });
  }),
  test("starts-a-conversation", { description: "the message carries a conversation_id" }, async (t) => {
    const { message } = await informed(t);
    t.assert(
      typeof message.conversation_id === "string" && message.conversation_id !== "",
      "the message has no conversation_id",
      { expected: { conversation_id: "a non-empty string" }, received: message },
    );
  }),
  test("does-not-answer-not-understood", {
    description: "a not-understood in reply to its message gets no answer (no loops)",
  }, async (t) => {
    const { message } = await informed(t);
    const back = t.message({ performative: "not-understood", content: "agtest: not understood on purpose" });
    if (typeof message.conversation_id === "string") back.conversation_id = message.conversation_id;
    if (typeof message.reply_with === "string") back.in_reply_to = message.reply_with;
    await t.send(back);
    await t.expectNone(undefined);
  }),
];
