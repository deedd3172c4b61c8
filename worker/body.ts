import { ApiError } from "./errors.js";
import { parseJsonText } from "./json.js";

/**
 * A request's or response's body, or null once it passes `limit` bytes: from the Content-Length
 * when given, else while streaming, so an oversized body is never buffered whole (the rest is not read).
 */
export async function readCapped(message: Request | Response, limit: number): Promise<Uint8Array | null> {
  if (Number(message.headers.get("content-length") ?? 0) > limit) {
    await message.body?.cancel();
    return null;
  }
  if (!message.body) return new Uint8Array(0);
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Reads a request body, refusing it with 413 as soon as it passes `limit` bytes ({@link readCapped}).
 * `hint` is appended to the message (what to do about it).
 */
export async function readBody(request: Request, limit: number, hint?: string): Promise<Uint8Array> {
  const body = await readCapped(request, limit);
  if (body === null)
    throw new ApiError(
      "PAYLOAD_TOO_LARGE",
      `request body exceeds the limit of ${limit} bytes${hint ? `; ${hint}` : ""}`,
    );
  return body;
}

/** Reads a JSON request body ({@link readBody}) no deeper than the JSON depth limit: the value, or why not. */
export async function readJson(request: Request, limit: number): Promise<ReturnType<typeof parseJsonText>> {
  return parseJsonText(new TextDecoder().decode(await readBody(request, limit)));
}
