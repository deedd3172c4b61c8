import { test } from "../../../../harness/core/index.js";
import { Thread } from "../../thread.js";
import { objectContent, request, tag } from "../../vocabulary.js";

/**
 * `protocols.fipa-request.passive`: the agent as the participant of FIPA Request (SC00026):
 * refuse, or (agree and) inform the result, or failure; every answer checked against the
 * protocol's state machine as it arrives.
 *
 * @see http://www.fipa.org/specs/fipa00026/SC00026H.html
 */
export const requestPassive = [
  test("performs-a-request", {
    essential: true,
    description: "a request it can perform (echo) gets an inform with the result, agree first being optional",
  }, async (t) => {
    const text = tag("echo");
    const thread = await Thread.open(t, request({ do: "echo", text }));
    let answer = await thread.next(["agree", "inform"]);
    if (answer.performative === "agree") answer = await thread.next("inform");
    t.assertEqual(
      objectContent(answer.content)?.["echo"],
      text,
      "the inform does not carry the result asked for",
      answer,
    );
  }),
  test("agree-comes-before-inform", {
    essential: true,
    description: "an agree, if any, comes before the inform, and nothing follows the inform",
  }, async (t) => {
    const thread = await Thread.open(t, request({ do: "echo", text: tag("echo") }));
    const first = await thread.next(["agree", "inform"]);
    if (first.performative === "agree") await thread.next("inform");
    await thread.quiet("the inform ended the conversation");
  }),
  test("refuses-an-unknown-action", {
    essential: true,
    description: "a request for an action it does not perform gets refuse (or not-understood), never agree or inform",
  }, async (t) => {
    const thread = await Thread.open(t, request({ do: tag("agtest-unknown") }));
    await thread.next(["refuse", "not-understood"]);
  }),
  test("reports-failure", {
    description: "a request it cannot carry out ends in failure with a reason, agree first being optional",
  }, async (t) => {
    const thread = await Thread.open(t, request({ do: "fail" }));
    let answer = await thread.next(["agree", "failure"]);
    if (answer.performative === "agree") answer = await thread.next("failure");
    t.assert(answer.content != null && answer.content !== "", "the failure gives no reason", {
      expected: "a failure with content",
      received: answer,
    });
  }),
  test("answers-a-cancel", {
    description:
      "a request it agreed to and still holds, when cancelled, gets inform (or failure): the cancel meta-protocol",
  }, async (t) => {
    const thread = await Thread.open(t, request({ do: "hold" }));
    const agree = await thread.next("agree");
    await thread.reply(agree, { performative: "cancel", content: thread.opening.content ?? null });
    await thread.next(["inform", "failure"]);
  }),
];
