import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Error codes of the HTTP API (ARCHITECTURE.md, "Edge runtime HTTP API"). */
export type ErrorCode =
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "AGENT_NOT_FOUND"
  | "AGENT_ALREADY_EXISTS"
  | "AGENT_NOT_RUNNING"
  | "INVALID_WASM"
  | "INVALID_MESSAGE"
  | "INVALID_MANIFEST"
  | "INVALID_REQUEST"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "PAYLOAD_TOO_LARGE"
  | "RATE_LIMITED"
  | "RUN_FAILED"
  | "INTERNAL";

/** The JSON body of every error response. */
export type ErrorBody = { error: { code: ErrorCode; message: string } };

/**
 * The one HTTP error type: a status and a stable code, mapped to `{"error": {...}}` by the app's
 * `onError`. Domain failures become an `ApiError` at the HTTP boundary.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    /** Extra response headers (`Retry-After` of a 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/**
 * A failure returned (not thrown) across Durable Object RPC: thrown errors lose their class on
 * the way, so DO methods return this shape and the route turns it into an {@link ApiError}.
 */
export type Failure = { ok: false; status: ContentfulStatusCode; code: ErrorCode; message: string };

/** Result of a Durable Object call. */
export type Result<T> = { ok: true; value: T } | Failure;

/** Builds a {@link Failure}. */
export function failure(status: ContentfulStatusCode, code: ErrorCode, message: string): Failure {
  return { ok: false, status, code, message };
}

/** Unwraps a {@link Result}, throwing its failure as an {@link ApiError}. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.status, result.code, result.message);
}
