import type { ActionSpec } from "../../harness/core/index.js";

/**
 * The agact actions of the `fipa` suite (HIPE 0015: the content suite defines them; `setup` and
 * `teardown` are predefined). `setup` gets the test id as its one parameter; `teardown` none.
 */
export const FIPA_ACTIONS = {
  send: {
    usage: "send PERFORMATIVE RECEIVER CONTENT",
    description: "send one message with this performative and text content to RECEIVER, in a new conversation",
  },
} satisfies Record<string, ActionSpec>;
