import { sha256Hex } from "../../protocol/digest.js";
import { type PreparedModule, WasmValidationError, prepareModule } from "../wasm/index.js";
import { ApiError } from "../errors.js";
import { type AgentLimits, memoryPages } from "../limits.js";
import type { ModuleUpload } from "../host/record.js";
import { exportMutableGlobals } from "../sandbox/globals.js";
import { STRIP_HINT } from "../upload.js";

/**
 * The deploy pipeline, run before anything is stored: validate the module against ABI
 * `agtest/1`, cap its memory to the agent's limit, instrument it with fuel, export its mutable
 * globals for checkpoints, and digest it.
 */
export async function buildModule(bytes: Uint8Array, limits: AgentLimits): Promise<ModuleUpload> {
  if (bytes.byteLength > limits.module_bytes) {
    throw new ApiError(
      "PAYLOAD_TOO_LARGE",
      `module is ${bytes.byteLength} bytes; the limit is ${limits.module_bytes}; ${STRIP_HINT}`,
    );
  }
  let prepared: PreparedModule;
  try {
    prepared = prepareModule(bytes, { maxMemoryPages: memoryPages(limits), fuel: BigInt(limits.fuel) });
  } catch (err) {
    if (err instanceof WasmValidationError) throw new ApiError("INVALID_WASM", err.message);
    throw err;
  }
  // Durable memory: the glue checkpoints the mutable globals with the memory (sandbox/globals.ts).
  const out = exportMutableGlobals(prepared.bytes).buffer;
  // What is stored and loaded is the instrumented module: its size is what the limit bounds.
  if (out.byteLength > limits.module_bytes) {
    throw new ApiError(
      "PAYLOAD_TOO_LARGE",
      `module is ${bytes.byteLength} bytes, ${out.byteLength} once instrumented (fuel checks); the limit is ${limits.module_bytes}`,
    );
  }
  return {
    bytes: out,
    originalBytes: bytes.byteLength,
    sha256: await sha256Hex(out),
    hasInit: prepared.info.hasInit,
  };
}
