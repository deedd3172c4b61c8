import { test, type Performative } from "../../../../harness/core/index.js";
import { Thread } from "../../thread.js";
import { objectContent, query, tag } from "../../vocabulary.js";

/** The answer of a query after an optional agree: `acts` (agree first is allowed, SC00027). */
async function answer(thread: Thread, acts: Performative[]) {
  const first = await thread.next(["agree", ...acts]);
  return first.performative === "agree" ? thread.next(acts) : first;
}

/**
 * `protocols.fipa-query.passive`: the agent as the participant of FIPA Query (SC00027):
 * query-ref answered with the referent, query-if with whether the proposition holds.
 *
 * @see http://www.fipa.org/specs/fipa00027/SC00027H.html
 */
export const queryPassive = [
  test("answers-query-ref", {
    essential: true,
    description: 'query-ref {"ref":"name"} gets an inform {"name": its own address}',
  }, async (t) => {
    const thread = await Thread.open(t, query("query-ref", { ref: "name" }));
    const inform = await answer(thread, ["inform"]);
    t.assertEqual(
      objectContent(inform.content)?.["name"],
      t.agent,
      "the inform does not give the agent's name",
      inform,
    );
  }),
  test("answers-query-if", {
    description: 'query-if {"name": X} gets an inform saying whether X is its name ("holds": true, then false)',
  }, async (t) => {
    for (const [name, holds] of [
      [t.agent, true],
      [tag("not-its-name"), false],
    ] as const) {
      const thread = await Thread.open(t, query("query-if", { name }));
      const inform = await answer(thread, ["inform"]);
      t.assertEqual(
        objectContent(inform.content),
        { name, holds },
        `the inform does not say that the proposition is ${holds}`,
        inform,
      );
    }
  }),
  test("unknown-reference", {
    description: "query-ref for a reference it does not know gets refuse, failure or not-understood, not an inform",
  }, async (t) => {
    const thread = await Thread.open(t, query("query-ref", { ref: tag("agtest-unknown") }));
    await answer(thread, ["refuse", "failure", "not-understood"]);
  }),
];
