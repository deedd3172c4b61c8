/**
 * FIPA's 22 communicative acts, spelled as agtest writes them on the wire: lowercase with
 * hyphens (`accept-proposal`, `query-if`, ...), in the order of the FIPA Communicative Act
 * Library Specification.
 *
 * @see http://www.fipa.org/specs/fipa00037/SC00037J.html FIPA SC00037 (Communicative Act Library)
 */
export const PERFORMATIVES = [
  "accept-proposal",
  "agree",
  "cancel",
  "cfp",
  "confirm",
  "disconfirm",
  "failure",
  "inform",
  "inform-if",
  "inform-ref",
  "not-understood",
  "propagate",
  "propose",
  "proxy",
  "query-if",
  "query-ref",
  "refuse",
  "reject-proposal",
  "request",
  "request-when",
  "request-whenever",
  "subscribe",
] as const;

/**
 * One of FIPA's 22 communicative acts (FIPA SC00037), e.g. `"request"` or `"not-understood"`.
 *
 * @see http://www.fipa.org/specs/fipa00037/SC00037J.html
 */
export type Performative = (typeof PERFORMATIVES)[number];

// A Set gives an O(1) guard and, typed as ReadonlySet<string>, accepts any string without a cast.
const KNOWN: ReadonlySet<string> = new Set(PERFORMATIVES);

/** Whether `value` is one of FIPA's 22 communicative acts, spelled exactly (lowercase, hyphens). */
export function isPerformative(value: unknown): value is Performative {
  return typeof value === "string" && KNOWN.has(value);
}
