// Wording for validation errors: "expected X, got Y" where Y is short enough for a log line or an
// HTTP error body, whatever the offending value.

const MAX_QUOTED = 60;

/** A short description of `value` for an error message: `"hello"`, `42`, `null`, `an array of 3 items`. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value.length > MAX_QUOTED ? `${JSON.stringify(value.slice(0, MAX_QUOTED))}…` : JSON.stringify(value);
    case "number":
    case "boolean":
      return String(value);
    case "bigint":
      return `${value}n (a bigint)`;
    case "undefined":
      return "undefined";
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
    default:
      return value === null ? "null" : describeObject(value as object);
  }
}

function describeObject(value: object): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "an empty array";
    return value.length === 1 ? "an array of 1 item" : `an array of ${value.length} items`;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return "an object";
  const name: unknown = (value.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === "string" && name !== "" ? `a ${name}` : "an object";
}

/**
 * The ", got ..." tail of an error message; a missing field reads "but it is missing" rather than
 * "got undefined".
 */
export function gotText(value: unknown): string {
  return value === undefined ? "but it is missing" : `got ${describeValue(value)}`;
}

/**
 * A zod `error` option whose message reads "expected WHAT, got VALUE". zod calls it with the raw
 * issue, which still carries the offending input.
 */
export function expecting(what: string): { error: (issue: { readonly input?: unknown }) => string } {
  return { error: (issue) => `expected ${what}, ${gotText(issue.input)}` };
}
