import { type ParseResult, type RoutableMessage, parseRoutableText } from "../protocol/index.js";
import { RUNTIME_LIMITS } from "./limits.js";

/**
 * How deep `text` nests JSON arrays and objects, found in one pass without parsing, so that text
 * nested too deep to walk recursively is refused before anything recursive (JSON.parse's callers,
 * zod, structured clone) sees it. Brackets inside strings do not count.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** Why JSON text is too deep to read, or null when it is fine. */
export function tooDeep(text: string, max: number = RUNTIME_LIMITS.json_depth): string | null {
  const depth = jsonDepth(text);
  return depth > max
    ? `JSON nested ${depth > 10 * max ? `more than ${10 * max}` : depth} levels deep; at most ${max} are accepted`
    : null;
}

/** Parses JSON text no deeper than {@link RUNTIME_LIMITS.json_depth}: the value, or why not. */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  const deep = tooDeep(text);
  if (deep) return { ok: false, reason: deep };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, reason: `not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
}

/** `parseRoutableText` behind the depth check: what agents emit and external agents answer is read with it. */
export function parseRoutableChecked(text: string): ParseResult<RoutableMessage> {
  const deep = tooDeep(text);
  if (deep) return { ok: false, error: { code: "INVALID_MESSAGE", field: "(body)", message: `(body): ${deep}` } };
  return parseRoutableText(text);
}
