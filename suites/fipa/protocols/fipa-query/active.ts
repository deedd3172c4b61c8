import { receiversOf, test, type AclMessage, type TestContext } from "../../../../harness/core/index.js";
import { Thread } from "../../thread.js";
import { harnessAddress, tag } from "../../vocabulary.js";

/** Asks the agent (agact `query-ref`/`query-if`) to query the harness; waits for the query. */
async function queried(
  t: TestContext,
  act: "query-ref" | "query-if",
): Promise<{ message: AclMessage; content: string; to: string }> {
  const to = harnessAddress(t);
  const content = tag(act);
  await t.act(act, to, content);
  return { message: await t.expect({ performative: act }), content, to };
}

/** Fails unless `message` opens a fipa-query conversation to `to` with `content`. */
function checkQuery(
  t: TestContext,
  { message, content, to }: { message: AclMessage; content: string; to: string },
): void {
  t.assertField(message, "protocol", "fipa-query", "the query does not declare protocol fipa-query");
  t.assertField(message, "content", content, "the query does not carry the content asked for");
  t.assert(receiversOf(message).includes(to), "the query is not addressed to the receiver asked for", {
    expected: { receiver: to },
    received: message,
  });
  for (const field of ["conversation_id", "reply_with"]) {
    t.assert(
      typeof message[field] === "string" && message[field] !== "",
      `the query has no ${field} to thread answers by`,
      { expected: { [field]: "a non-empty string" }, received: message },
    );
  }
  Thread.join(t, message);
}

/**
 * `protocols.fipa-query.active`: the agent as the initiator of FIPA Query (SC00027).
 *
 * @see http://www.fipa.org/specs/fipa00027/SC00027H.html
 */
export const queryActive = [
  test("sends-a-query-ref", {
    essential: true,
    description:
      "asked to, it sends RECEIVER a fipa-query query-ref with the expression asked for, a conversation_id and a reply_with",
  }, async (t) => {
    checkQuery(t, await queried(t, "query-ref"));
  }),
  test("sends-a-query-if", {
    description: "asked to, it sends RECEIVER a fipa-query query-if with the proposition asked for",
  }, async (t) => {
    checkQuery(t, await queried(t, "query-if"));
  }),
  test("takes-the-answer", {
    essential: true,
    description: "the inform answering its query-ref gets no answer (it understood it)",
  }, async (t) => {
    const { message } = await queried(t, "query-ref");
    const thread = Thread.join(t, message);
    await thread.reply(message, { performative: "inform", content: { answer: message.content ?? null } });
    await thread.quiet("an inform ends the query");
  }),
];
