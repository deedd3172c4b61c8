import { receiversOf, test, type AclMessage, type TestContext } from "../../../../harness/core/index.js";
import { fromRuntime, Thread } from "../../thread.js";
import { harnessAddress, objectContent, tag } from "../../vocabulary.js";

/** The deadline asked for: generous, as the agent decides once its one participant answered. */
const DEADLINE_MS = 10_000;

/** Asks the agent (agact `cfp`) to call the harness for proposals within `deadline` ms. */
async function called(
  t: TestContext,
  deadline: number,
): Promise<{ message: AclMessage; product: string; to: string; asked: number }> {
  const to = harnessAddress(t);
  const product = tag("product");
  const asked = Date.now();
  await t.act("cfp", to, product, String(deadline));
  return { message: await t.expect({ performative: "cfp" }), product, to, asked };
}

/** The harness's proposal for the product of `cfp`. */
function offer(cfp: AclMessage): { product: unknown; price: number } {
  return { product: objectContent(cfp.content)?.["product"] ?? null, price: 42 };
}

/**
 * `protocols.fipa-contract-net.active`: the agent as the initiator of FIPA Contract Net
 * (SC00029), with the harness as its one participant: a cfp with a deadline, an accepted
 * proposal, a refusal taken as final, a late proposal ignored.
 *
 * @see http://www.fipa.org/specs/fipa00029/SC00029H.html
 */
export const contractNetActive = [
  test("sends-a-cfp", {
    essential: true,
    description:
      'asked to, it sends RECEIVERS one cfp {"product": P} with a reply_by DEADLINE_MS from then, a conversation_id and a reply_with',
  }, async (t) => {
    const { message, product, to, asked } = await called(t, DEADLINE_MS);
    const arrived = Date.now();
    t.assertField(message, "protocol", "fipa-contract-net", "the cfp does not declare protocol fipa-contract-net");
    t.assert(objectContent(message.content)?.["product"] === product, "the cfp does not name the product asked for", {
      expected: { content: { product } },
      received: message,
    });
    t.assert(receiversOf(message).includes(to), "the cfp is not addressed to the receiver asked for", {
      expected: { receiver: to },
      received: message,
    });
    for (const field of ["conversation_id", "reply_with"]) {
      t.assert(
        typeof message[field] === "string" && message[field] !== "",
        `the cfp has no ${field} to thread proposals by`,
        { expected: { [field]: "a non-empty string" }, received: message },
      );
    }
    // DEADLINE_MS after it was asked, give or take a second (clocks and the trip there differ a little).
    const replyBy = typeof message.reply_by === "string" ? Date.parse(message.reply_by) : Number.NaN;
    const expected = `a date-time about ${new Date(asked + DEADLINE_MS).toISOString()}`;
    t.assert(!Number.isNaN(replyBy), "the cfp has no reply_by deadline", {
      expected: { reply_by: expected },
      received: message,
    });
    t.assert(
      replyBy >= asked + DEADLINE_MS - 1_000 && replyBy <= arrived + DEADLINE_MS + 1_000,
      "the cfp's reply_by is not the deadline asked for",
      { expected: { reply_by: expected }, received: message },
    );
    Thread.join(t, message);
  }),
  test("accepts-a-proposal", {
    essential: true,
    description: "the one proposal, received in time, gets accept-proposal; the inform that follows gets no answer",
  }, async (t) => {
    const { message } = await called(t, DEADLINE_MS);
    const thread = Thread.join(t, message);
    const propose = await thread.reply(message, { performative: "propose", content: offer(message) });
    await thread.next("accept-proposal");
    await thread.reply(propose, { performative: "inform", content: { ...offer(message), status: "done" } });
    await thread.quiet("the inform ended the contract net");
  }),
  test("refusal-is-final", {
    essential: true,
    description: "a participant that refuses is never accepted: nothing follows in the conversation",
  }, async (t) => {
    const { message } = await called(t, DEADLINE_MS);
    const thread = Thread.join(t, message);
    await thread.reply(message, { performative: "refuse", content: "agtest refuses on purpose" });
    await thread.quiet("the only participant refused");
  }),
  test("ignores-late-proposals", {
    essential: true,
    description: "a proposal sent after the cfp's reply_by is not accepted",
  }, async (t) => {
    const deadline = 300;
    const { message } = await called(t, deadline);
    const thread = Thread.join(t, message);
    const replyBy = typeof message.reply_by === "string" ? Date.parse(message.reply_by) : Date.now() + deadline;
    // The deadline must have passed on the agent's clock too: a little past it.
    await t.waitUntil(replyBy + 100);
    await thread.reply(message, { performative: "propose", content: offer(message) }, { breaking: true });
    const answer = await thread.maybeNext();
    if (answer !== undefined && fromRuntime(answer)) {
      t.note(
        `the runtime refused the late proposal before the agent saw it (${answer.performative}); the agent itself was not exercised`,
      );
      await thread.quiet("the late proposal never reached the agent");
    }
  }),
];
