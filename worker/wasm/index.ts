/**
 * The deploy pipeline for `agtest/1` agents, in pure TypeScript (no Node or Workers APIs):
 * parse and validate a WebAssembly module against the ABI, then instrument it with a fuel
 * counter, a memory cap and an OOM flag (ARCHITECTURE.md, "Agent ABI agtest/1" and "Limits").
 */
export { WasmValidationError } from "./errors.js";
export { prepareModule } from "./instrument.js";
export { FUEL_EXPORT, OOM_EXPORT, inspectModule, validateModule } from "./validate.js";
export type { PrepareOptions, PreparedModule } from "./types.js";
