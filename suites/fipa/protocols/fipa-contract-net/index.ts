import { cluster } from "../../../../harness/core/index.js";
import { contractNetActive } from "./active.js";
import { contractNetPassive } from "./passive.js";

/** The `protocols.fipa-contract-net` cluster: FIPA Contract Net Interaction Protocol, both roles. */
export const fipaContractNet = cluster("protocols.fipa-contract-net", {
  title: "FIPA Contract Net Interaction Protocol (SC00029)",
  passive: contractNetPassive,
  active: contractNetActive,
});
