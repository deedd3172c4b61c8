import { cluster } from "../../../../harness/core/index.js";
import { queryActive } from "./active.js";
import { queryPassive } from "./passive.js";

/** The `protocols.fipa-query` cluster: FIPA Query Interaction Protocol, both roles. */
export const fipaQuery = cluster("protocols.fipa-query", {
  title: "FIPA Query Interaction Protocol (SC00027)",
  passive: queryPassive,
  active: queryActive,
});
