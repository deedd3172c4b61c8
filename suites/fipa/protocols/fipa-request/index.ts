import { cluster } from "../../../../harness/core/index.js";
import { requestActive } from "./active.js";
import { requestPassive } from "./passive.js";

/** The `protocols.fipa-request` cluster: FIPA Request Interaction Protocol, both roles. */
export const fipaRequest = cluster("protocols.fipa-request", {
  title: "FIPA Request Interaction Protocol (SC00026)",
  passive: requestPassive,
  active: requestActive,
});
