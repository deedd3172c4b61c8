import { cluster } from "../../../harness/core/index.js";
import { metadataActive } from "./active.js";
import { metadataPassive } from "./passive.js";

/** The `metadata` cluster: agents asking each other for their interop profiles (HIPE 0015). */
export const metadata = cluster("metadata", {
  title: "Agent metadata: the interop-profile request (HIPE 0015)",
  passive: metadataPassive,
  active: metadataActive,
});
