import type * as z from "zod";
import { AclMessageSchema, RoutableMessageSchema, type AclMessage, type RoutableMessage } from "./message.js";

/**
 * Why a message was rejected. `field` is a dot path into the message (`performative`,
 * `receiver.1`, `content.items.0`), `(message)` when the message as a whole is wrong (not an
 * object), or `(body)` when the text is not JSON. `message` is one sentence that starts with the
 * field, fit to show a user as is. `code` is the HTTP API's error code.
 */
export type MessageError = { code: "INVALID_MESSAGE"; field: string; message: string };

/** The outcome of parsing a message: the message, or the first reason it is invalid. */
export type ParseResult<M> = { ok: true; message: M } | { ok: false; error: MessageError };

/**
 * Validates `input` (already parsed JSON, or an object built in code) as a FIPA ACL message.
 * Never throws. On success `message` is a shallow copy of the input with the same fields,
 * unknown keys included (nested values such as `content` are shared, not cloned).
 *
 * @see http://www.fipa.org/specs/fipa00061/SC00061G.html
 */
export function parseMessage(input: unknown): ParseResult<AclMessage> {
  return parseWith(AclMessageSchema, input);
}

/** {@link parseMessage} for raw JSON text; text that is not JSON fails with field `(body)`. */
export function parseMessageText(text: string): ParseResult<AclMessage> {
  const json = parseJson(text);
  return json.ok ? parseMessage(json.value) : json;
}

/** Like {@link parseMessage}, but also requires a `sender` and at least one `receiver`. */
export function parseRoutable(input: unknown): ParseResult<RoutableMessage> {
  return parseWith(RoutableMessageSchema, input);
}

/** {@link parseRoutable} for raw JSON text; text that is not JSON fails with field `(body)`. */
export function parseRoutableText(text: string): ParseResult<RoutableMessage> {
  const json = parseJson(text);
  return json.ok ? parseRoutable(json.value) : json;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: MessageError } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failure("(body)", `expected a FIPA ACL message as JSON, but the text is not valid JSON (${reason})`);
  }
}

function parseWith<M>(schema: z.ZodType<M>, input: unknown): ParseResult<M> {
  let result: z.ZodSafeParseResult<M>;
  try {
    result = schema.safeParse(input);
  } catch (error) {
    // Only hostile objects get here (throwing getters, revoked proxies): JSON never does.
    const reason = error instanceof Error ? error.message : String(error);
    return failure("(message)", `could not be read (${reason})`);
  }
  if (result.success) return { ok: true, message: result.data };
  const first = result.error.issues[0];
  if (first === undefined) return failure("(message)", "is invalid");
  const { path, message } = pinpoint(first);
  return failure(path.length === 0 ? "(message)" : path.map(String).join("."), message);
}

/**
 * zod reports a value that fits no branch of a union (`receiver: [1]`) as `invalid_union` at the
 * union itself. When exactly one branch accepted the value's type (the array), its first issue
 * points deeper (`receiver.0`) and says more, so report that one instead.
 */
function pinpoint(issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string } {
  if (issue.code === "invalid_union") {
    const typed = issue.errors.filter(
      (branch) => !branch.some((inner) => inner.code === "invalid_type" && inner.path.length === 0),
    );
    const inner = typed.length === 1 ? typed[0]?.[0] : undefined;
    if (inner !== undefined && inner.path.length > 0) {
      const deeper = pinpoint(inner);
      return { path: [...issue.path, ...deeper.path], message: deeper.message };
    }
  }
  return { path: issue.path, message: issue.message };
}

function failure(field: string, sentence: string): { ok: false; error: MessageError } {
  return { ok: false, error: { code: "INVALID_MESSAGE", field, message: `${field}: ${sentence}` } };
}
