import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * Error codes of the HTTP API and the status each answers with (ARCHITECTURE.md, "Edge runtime
 * HTTP API"): a code implies its status, so a call site names the code only.
 */
export const ERROR_STATUS = {
  INVALID_WASM: 400,
  INVALID_MESSAGE: 400,
  INVALID_MANIFEST: 400,
  INVALID_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  AGENT_NOT_FOUND: 404,
  AGENT_ALREADY_EXISTS: 409,
  AGENT_NOT_RUNNING: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RUN_FAILED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

/** An error code of the HTTP API. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** The JSON body of every error response. */
export type ErrorBody = { error: { code: ErrorCode; message: string } };

/**
 * The one HTTP error type: a stable code (its status from {@link ERROR_STATUS}) answered as
 * `{"error": {...}}`. A Hono `HTTPException`, so the app's `onError` answers it, and Hono's own
 * middleware's exceptions, alike with `getResponse()`.
 */
export class ApiError extends HTTPException {
  override readonly name = "ApiError";
  override readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra response headers (`Retry-After` of a 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(ERROR_STATUS[code], { message });
    this.status = ERROR_STATUS[code];
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }

  override getResponse(): Response {
    return Response.json(this.toBody(), { status: this.status, headers: this.headers });
  }
}

/**
 * A failure returned (not thrown) across Durable Object RPC: thrown errors lose their class on
 * the way, so DO methods return this shape, a domain code without an HTTP status, and the route
 * turns it into an {@link ApiError}.
 */
export type Failure = { ok: false; code: ErrorCode; message: string };

/** Result of a Durable Object call. */
export type Result<T> = { ok: true; value: T } | Failure;

/** Builds a {@link Failure}. */
export function failure(code: ErrorCode, message: string): Failure {
  return { ok: false, code, message };
}

/** Unwraps a {@link Result}, throwing its failure as an {@link ApiError}. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.code, result.message);
}
