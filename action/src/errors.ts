/**
 * A failure the user can act on (a bad input, a missing file, a runtime that would not start):
 * the action reports its message alone, without a stack trace.
 */
export class ActionError extends Error {
  override readonly name = "ActionError";
}

/** The message of anything thrown, for logs and `core.setFailed`. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
