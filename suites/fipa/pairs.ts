import type { PairScenario } from "../../harness/core/pair/index.js";
import { ONTOLOGY } from "./vocabulary.js";

/** How long a contract-net participant has to propose: generous, the initiator decides once all answered. */
const CFP_WITHIN_MS = 10_000;

/**
 * The `fipa` suite's scenarios for `agtest pair`: one per protocol, each the main success path of
 * FIPA's diagram, in the suite's vocabulary (ontology `agtest-fipa`), asked of the initiator
 * through the suite's agact actions (actions.ts).
 */
export const FIPA_PAIRS: readonly PairScenario[] = [
  {
    protocol: "fipa-request",
    title: "FIPA Request (SC00026)",
    junctions: { initiator: "protocols.fipa-request.active", participant: "protocols.fipa-request.passive" },
    participants: 1,
    act: ([to = ""], tag) => ({
      action: "request",
      params: [to, JSON.stringify({ do: "echo", text: tag }), ONTOLOGY],
    }),
    succeeded: (states) => states.every((s) => s === "informed"),
    expect: "request, (agree,) inform",
  },
  {
    protocol: "fipa-query",
    title: "FIPA Query (SC00027)",
    junctions: { initiator: "protocols.fipa-query.active", participant: "protocols.fipa-query.passive" },
    participants: 1,
    act: ([to = ""]) => ({ action: "query-ref", params: [to, JSON.stringify({ ref: "name" }), ONTOLOGY] }),
    succeeded: (states) => states.every((s) => s === "informed"),
    expect: "query-ref, inform",
  },
  {
    protocol: "fipa-contract-net",
    title: "FIPA Contract Net (SC00029)",
    junctions: { initiator: "protocols.fipa-contract-net.active", participant: "protocols.fipa-contract-net.passive" },
    // Two instances of the participant: one proposal is accepted and the other rejected, so both
    // branches of the diagram are walked (a lone proposal is only ever accepted).
    participants: 2,
    act: (to, tag) => ({ action: "cfp", params: [to.join(","), tag, String(CFP_WITHIN_MS)] }),
    succeeded: (states) => states.includes("informed") && states.every((s) => s === "informed" || s === "rejected"),
    expect: "cfp to two, propose, accept one (inform) and reject the other",
  },
];
