import { cluster } from "../../../../harness/core/index.js";
import { httpActive } from "./active.js";
import { httpPassive } from "./passive.js";

/** The `transports.http` cluster: FIPA ACL as JSON over HTTP POST, to and from URLs. */
export const http = cluster("transports.http", {
  title: "HTTP transport: JSON messages POSTed to and from URLs",
  passive: httpPassive,
  active: httpActive,
});
