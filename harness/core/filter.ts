import type { AclMessage } from "../../protocol/index.js";

/**
 * What a test waits for: field values the message must have (compared as JSON, so
 * `{performative: "inform"}` or `{content: {n: 1}}`), or a predicate. A field given as
 * `undefined` must be absent (or null).
 */
export type MessageFilter = { [field: string]: unknown } | ((message: AclMessage) => boolean);

/** Whether `message` passes `filter` (no filter: every message). */
export function matches(message: AclMessage, filter: MessageFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (typeof filter === "function") return filter(message);
  return Object.entries(filter).every(([key, want]) => {
    const got = message[key];
    if (want === undefined) return got === undefined || got === null;
    return got !== undefined && canonical(got) === canonical(want);
  });
}

/** How a filter reads in a failure's `expected`: the object itself, or the predicate's name. */
export function describeFilter(filter: MessageFilter | undefined): unknown {
  if (filter === undefined) return "any message";
  if (typeof filter === "function")
    return filter.name ? `a message for which ${filter.name}() holds` : "a message matching the test's condition";
  return filter;
}

/** A predicate for replies to `request`: same conversation or quoting its `reply_with`. */
export function replyOf(request: AclMessage): (message: AclMessage) => boolean {
  return function isReplyToTheRequest(message) {
    if (request.reply_with != null && message.in_reply_to === request.reply_with) return true;
    return request.conversation_id != null && message.conversation_id === request.conversation_id;
  };
}

// JSON text with sorted keys: {a:1,b:2} equals {b:2,a:1}.
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
