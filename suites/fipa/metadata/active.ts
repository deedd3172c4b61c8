import { receiversOf, test, type AclMessage, type TestContext } from "../../../harness/core/index.js";
import { Thread } from "../thread.js";
import { harnessAddress, METADATA_ONTOLOGY } from "../vocabulary.js";

/** Asks the agent (agact `query-profile`) to ask the harness for its profile for this suite. */
async function asking(t: TestContext): Promise<{ message: AclMessage; to: string }> {
  const to = harnessAddress(t);
  await t.act("query-profile", to, t.suite.uri);
  return { message: await t.expect({ performative: "query-ref" }), to };
}

/** `metadata.active`: the agent asks another agent for its interop profile (HIPE 0015, "Profile Data"). */
export const metadataActive = [
  test("asks-for-a-profile", {
    essential: true,
    description:
      'asked to, it sends RECEIVER a fipa-query query-ref, ontology agent-metadata, content {"what":[{"interop-profile": SUITE_URI}]}',
  }, async (t) => {
    const { message, to } = await asking(t);
    t.assertField(message, "protocol", "fipa-query", "the request does not declare protocol fipa-query");
    t.assertField(message, "ontology", METADATA_ONTOLOGY, "the request is not in ontology agent-metadata");
    t.assertField(
      message,
      "content",
      { what: [{ "interop-profile": t.suite.uri }] },
      "the request is not the agent-metadata request for the suite asked for",
    );
    t.assert(receiversOf(message).includes(to), "the request is not addressed to the receiver asked for", {
      expected: { receiver: to },
      received: message,
    });
    Thread.join(t, message);
  }),
  test("takes-the-profile", { description: "the inform carrying the profile gets no answer" }, async (t) => {
    const { message } = await asking(t);
    const thread = Thread.join(t, message);
    const profile = { test_suite: t.suite.uri, profile: { "core.passive": "interoperable" } };
    await thread.reply(message, {
      performative: "inform",
      ontology: METADATA_ONTOLOGY,
      content: [{ "interop-profile": profile }],
    });
    await thread.quiet("an inform ends the query");
  }),
];
