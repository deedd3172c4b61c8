/** Any value JSON can carry: what `JSON.parse` returns and `JSON.stringify` writes back unchanged. */
export type JsonValue = string | number | boolean | null | JsonArray | JsonObject;

// Interfaces, not inline `JsonValue[]` / `{ [key: string]: JsonValue }`: TypeScript expands an
// interface lazily, which keeps recursive mappers such as the Workers RPC stub types
// (`Rpc.Result<...>`) from failing with "Type instantiation is excessively deep".

/** A JSON array. */
export interface JsonArray extends Array<JsonValue> {}

/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/**
 * Deepest nesting accepted inside `content`. JSON itself has no limit, but the runtime, storage
 * and every agent re-serialise content, and recursive serialisers overflow their stack long before
 * a 256 KiB message runs out of brackets.
 */
export const MAX_CONTENT_DEPTH = 128;

/** Where a value stops being JSON, as a path below the checked value and a reason. */
export type JsonProblem = { path: (string | number)[]; reason: string };

type Frame = { value: unknown; path: (string | number)[] } | { leave: object };

/**
 * Finds the first place where `value` is not a JSON value, or `undefined` when it is one.
 * Iterative, so hostile input (deep nesting, cycles, shared sub-objects) cannot overflow the stack
 * or take exponential time. Object properties whose value is `undefined` are allowed (JSON.stringify
 * drops them, as it does for optional message fields); array holes and `undefined` items are not.
 */
export function findJsonProblem(value: unknown, maxDepth = MAX_CONTENT_DEPTH): JsonProblem | undefined {
  const checked = new WeakSet<object>(); // fully checked: shared sub-objects are walked once
  const open = new WeakSet<object>(); // ancestors of the current node: meeting one again is a cycle
  const stack: Frame[] = [{ value, path: [] }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    if ("leave" in frame) {
      open.delete(frame.leave);
      checked.add(frame.leave);
      continue;
    }
    const { value: node, path } = frame;
    if (node === null || typeof node === "string" || typeof node === "boolean") continue;
    if (typeof node === "number") {
      if (Number.isFinite(node)) continue;
      return { path, reason: `${node} is not a JSON number` };
    }
    if (typeof node !== "object") return { path, reason: `${typeof node} is not a JSON value` };
    if (checked.has(node)) continue;
    if (open.has(node)) return { path, reason: "a cyclic reference cannot be written as JSON" };
    if (path.length >= maxDepth) return { path: [], reason: `it is nested deeper than ${maxDepth} levels` };
    open.add(node);
    stack.push({ leave: node });
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) {
        if (!(i in node)) return { path: [...path, i], reason: "an array hole is not a JSON value" };
        if (node[i] === undefined) return { path: [...path, i], reason: "undefined is not a JSON value" };
        stack.push({ value: node[i], path: [...path, i] });
      }
      continue;
    }
    const proto: unknown = Object.getPrototypeOf(node);
    if (proto !== Object.prototype && proto !== null) {
      return { path, reason: `${kindOf(node)} is not a plain JSON object` };
    }
    const entries = Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i] as [string, unknown];
      if (item !== undefined) stack.push({ value: item, path: [...path, key] });
    }
  }
  return undefined;
}

function kindOf(node: object): string {
  const name: unknown = (node.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === "string" && name !== "" ? `a ${name}` : "an object with a custom prototype";
}
