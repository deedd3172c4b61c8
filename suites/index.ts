import type { Suite } from "../harness/core/index.js";
import { fipa } from "./fipa/index.js";

/** The suites agtest ships, by id (what `agtest run --suite ID` and `agtest suites` know). */
export const SUITES: Readonly<Record<string, Suite>> = { fipa };
