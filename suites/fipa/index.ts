import { defineSuite } from "../../harness/core/index.js";
import { FIPA_ACTIONS } from "./actions.js";
import { core } from "./core/index.js";

/**
 * The `fipa` suite: FIPA ACL interoperability of agtest agents (messages as JSON, see
 * ARCHITECTURE.md). Clusters are added in suite order; each junction is scored on its own.
 */
export const fipa = defineSuite({
  id: "fipa",
  version: "1.0.0",
  title: "FIPA ACL interoperability",
  actions: FIPA_ACTIONS,
  clusters: [core],
});

/** The suite's junctions in order, e.g. `core.passive` (what `--features` accepts). */
export const FIPA_JUNCTIONS = fipa.junctions.map((j) => j.id);
