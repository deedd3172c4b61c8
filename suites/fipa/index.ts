import { defineSuite } from "../../harness/core/index.js";
import { FIPA_ACTIONS } from "./actions.js";
import { core } from "./core/index.js";
import { metadata } from "./metadata/index.js";
import { fipaContractNet } from "./protocols/fipa-contract-net/index.js";
import { fipaQuery } from "./protocols/fipa-query/index.js";
import { fipaRequest } from "./protocols/fipa-request/index.js";
import { http } from "./transports/http/index.js";

/**
 * The `fipa` suite: FIPA ACL interoperability of agtest agents (messages as JSON, see
 * ARCHITECTURE.md). Clusters are added in suite order; each junction is scored on its own.
 * The contents its tests send are in `vocabulary.ts`, the actions they ask for in `actions.ts`.
 *
 * 1.1.0: the protocol, metadata and HTTP clusters; core.passive.reply-honours-reply-to.
 */
export const fipa = defineSuite({
  id: "fipa",
  version: "1.1.0",
  title: "FIPA ACL interoperability",
  actions: FIPA_ACTIONS,
  clusters: [core, fipaRequest, fipaQuery, fipaContractNet, metadata, http],
});

/** The suite's junctions in order, e.g. `core.passive` (what `--features` accepts). */
export const FIPA_JUNCTIONS = fipa.junctions.map((j) => j.id);
