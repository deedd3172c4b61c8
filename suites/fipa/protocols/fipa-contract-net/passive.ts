import { test, type TestContext } from "../../../../harness/core/index.js";
import { Thread } from "../../thread.js";
import { cfp, objectContent, tag } from "../../vocabulary.js";

/** How long the agent has to answer a cfp in these tests: generous, as nothing waits for it. */
const REPLY_WITHIN_MS = 10_000;

/** Sends a cfp for a fresh product and takes the agent's proposal (checked: in time, threaded, priced). */
async function proposal(t: TestContext) {
  const product = tag("product");
  const thread = await Thread.open(t, cfp(product, REPLY_WITHIN_MS));
  const propose = await thread.next("propose");
  const content = objectContent(propose.content);
  const price = content?.["price"];
  t.assert(
    content?.["product"] === product && Number.isInteger(price) && (price as number) > 0,
    'the proposal is not {"product": P, "price": a positive integer}',
    { expected: { content: { product, price: "a positive integer" } }, received: propose },
  );
  return { thread, propose };
}

/**
 * `protocols.fipa-contract-net.passive`: the agent as a participant of FIPA Contract Net
 * (SC00029): it proposes (or refuses) before the cfp's `reply_by`, carries out an accepted
 * proposal, and lets a rejected one go.
 *
 * @see http://www.fipa.org/specs/fipa00029/SC00029H.html
 */
export const contractNetPassive = [
  test("proposes", {
    essential: true,
    description: 'a cfp {"product": P} gets a propose {"product": P, "price": N} before its reply_by deadline',
  }, async (t) => {
    await proposal(t);
  }),
  test("refuses-what-it-cannot-offer", {
    description: "a cfp naming no product gets refuse (or not-understood), not a proposal",
  }, async (t) => {
    const thread = await Thread.open(t, cfp(undefined, REPLY_WITHIN_MS));
    await thread.next(["refuse", "not-understood"]);
  }),
  test("fulfils-an-accepted-proposal", {
    essential: true,
    description: "its proposal, accepted, gets an inform (done)",
  }, async (t) => {
    const { thread, propose } = await proposal(t);
    await thread.reply(propose, { performative: "accept-proposal", content: propose.content ?? null });
    await thread.next("inform");
  }),
  test("rejection-ends-the-thread", {
    essential: true,
    description: "its proposal, rejected, gets nothing more: no inform, no new proposal",
  }, async (t) => {
    const { thread, propose } = await proposal(t);
    await thread.reply(propose, { performative: "reject-proposal", content: { reason: "agtest rejects on purpose" } });
    await thread.quiet("a rejected proposal ends the participant's part");
  }),
  test("respects-the-deadline", {
    essential: true,
    description: "a cfp whose reply_by has passed gets no proposal (it would be late)",
  }, async (t) => {
    // Well in the past, so that no clock skew between harness and agent makes it look open.
    const thread = await Thread.open(t, {
      ...cfp(tag("product"), 0),
      reply_by: new Date(Date.now() - 30_000).toISOString(),
    });
    await thread.quiet("the cfp's reply_by deadline had passed, so any answer is late");
  }),
];
