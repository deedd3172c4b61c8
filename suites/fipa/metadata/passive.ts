import { test, type TestContext } from "../../../harness/core/index.js";
import { Thread } from "../thread.js";
import { metadataRequest } from "../vocabulary.js";
import { entries, profileFor } from "./shape.js";

/** A suite URI nobody has a profile for. */
const UNKNOWN_SUITE = "urn:agtest:suite:agtest-unknown:0.0.0";

/** Asks for the profiles of `suites` and returns the inform (agree first is allowed, fipa-query). */
async function ask(t: TestContext, suites: string[]) {
  const thread = await Thread.open(t, metadataRequest(suites));
  const first = await thread.next(["agree", "inform"]);
  return first.performative === "agree" ? thread.next("inform") : first;
}

/**
 * `metadata.passive`: HIPE 0015's agent-metadata request, `{"what":[{"interop-profile": URI}]}`,
 * sent as a fipa-query `query-ref` in ontology `agent-metadata`, is answered by an `inform` whose
 * content holds one `{"interop-profile": PROFILE | null}` per item asked, in order.
 */
export const metadataPassive = [
  test("answers-the-profile-request", {
    essential: true,
    description:
      "the agent-metadata request for this suite gets an inform with a valid interop profile for this suite's URI",
  }, async (t) => {
    const inform = await ask(t, [t.suite.uri]);
    const [profile] = entries(t, inform, 1);
    profileFor(t, profile, t.suite.uri, inform);
  }),
  test("profile-names-this-suites-junctions", {
    description: "every junction the profile scores is one of this suite's",
  }, async (t) => {
    const inform = await ask(t, [t.suite.uri]);
    const [profile] = entries(t, inform, 1);
    const unknown = Object.keys(profileFor(t, profile, t.suite.uri, inform).profile).filter(
      (j) => !t.suite.junctions.includes(j),
    );
    t.assert(unknown.length === 0, `the profile scores junctions this suite does not have: ${unknown.join(", ")}`, {
      expected: { junctions: t.suite.junctions },
      received: profile,
    });
  }),
  test("unknown-suite", {
    description: 'a request for a suite it has no profile for gets {"interop-profile": null}',
  }, async (t) => {
    const inform = await ask(t, [UNKNOWN_SUITE]);
    const [profile] = entries(t, inform, 1);
    t.assertEqual(profile, null, "the agent claims a profile for a suite that does not exist", inform);
  }),
  test("answers-a-batch", { description: "two items asked at once get two answers, in order" }, async (t) => {
    const inform = await ask(t, [UNKNOWN_SUITE, t.suite.uri]);
    const [unknown, profile] = entries(t, inform, 2);
    t.assertEqual(unknown, null, "the first answer (an unknown suite) is not null", inform);
    profileFor(t, profile, t.suite.uri, inform);
  }),
];
