import { cluster } from "../../../harness/core/index.js";
import { coreActive } from "./active.js";
import { corePassive } from "./passive.js";

/** The `core` cluster: well-formed messages, threading, not-understood, sender and receiver. */
export const core = cluster("core", {
  title: "Core messaging: well-formed messages, threading, not-understood",
  passive: corePassive,
  active: coreActive,
});
