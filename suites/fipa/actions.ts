import type { ActionSpec } from "../../harness/core/index.js";

/**
 * The agact actions of the `fipa` suite (HIPE 0015: the content suite defines them; `setup` and
 * `teardown` are predefined). `setup` gets the test id as its one parameter; `teardown` none and
 * should forget every conversation. Each action starts a new conversation (a fresh
 * `conversation_id` and `reply_with`) and returns at once: the harness watches its effect on the
 * wire. RECEIVER is an agent name or an http(s) URL.
 */
export const FIPA_ACTIONS = {
  send: {
    usage: "send PERFORMATIVE RECEIVER CONTENT",
    description: "send one message with this performative and text content to RECEIVER, in a new conversation",
  },
  request: {
    usage: "request RECEIVER CONTENT [ONTOLOGY]",
    description:
      "open a fipa-request: send RECEIVER a request with this text content; take agree, inform, refuse or failure without answering. " +
      "With ONTOLOGY (agtest pair): the request names it, and a CONTENT that is a JSON object is sent as JSON",
  },
  "query-ref": {
    usage: "query-ref RECEIVER EXPRESSION [ONTOLOGY]",
    description:
      "open a fipa-query: send RECEIVER a query-ref with this text content; take the inform, refuse or failure without answering. " +
      "With ONTOLOGY, as for request",
  },
  "query-if": {
    usage: "query-if RECEIVER PROPOSITION [ONTOLOGY]",
    description:
      "open a fipa-query: send RECEIVER a query-if with this text content; take the answer without answering",
  },
  cfp: {
    usage: "cfp RECEIVERS PRODUCT DEADLINE_MS",
    description:
      'open a fipa-contract-net: one cfp {"product":PRODUCT} to RECEIVERS (comma-separated) with reply_by DEADLINE_MS from now; ' +
      "accept the cheapest proposal received by the deadline, reject the other proposals, never accept a refusal or a late proposal",
  },
  "query-profile": {
    usage: "query-profile RECEIVER SUITE_URI",
    description:
      'ask RECEIVER for its interop profile for SUITE_URI (the agent-metadata request {"what":[{"interop-profile":SUITE_URI}]}, see metadata)',
  },
} satisfies Record<string, ActionSpec>;
