/**
 * The one error type the deploy pipeline throws for a module it refuses. The message names the
 * problem precisely (section, function, import or export, and a byte offset where one applies) so
 * the deploy route can hand it to the user as is (`INVALID_WASM`).
 */
export class WasmValidationError extends Error {
  override readonly name = "WasmValidationError";
  /** Byte offset in the module where the problem was found, when there is one. */
  readonly offset?: number;

  constructor(message: string, offset?: number) {
    super(message);
    if (offset !== undefined) this.offset = offset;
  }
}

/** Two-digit lowercase hex of a byte, as error messages show opcodes (`0xfe`). */
export function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, "0")}`;
}
