/**
 * The interaction protocols whose state machines agtest knows, spelled as FIPA names them and as
 * messages carry them in `protocol`.
 *
 * @see http://www.fipa.org/specs/fipa00026/SC00026H.html FIPA SC00026 (Request Interaction Protocol)
 * @see http://www.fipa.org/specs/fipa00027/SC00027H.html FIPA SC00027 (Query Interaction Protocol)
 * @see http://www.fipa.org/specs/fipa00029/SC00029H.html FIPA SC00029 (Contract Net Interaction Protocol)
 */
export const PROTOCOL_NAMES = ["fipa-request", "fipa-query", "fipa-contract-net"] as const;

/** One of the interaction protocols agtest checks, e.g. `"fipa-contract-net"`. */
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

const KNOWN: ReadonlySet<string> = new Set(PROTOCOL_NAMES);

/** Whether `value` names a protocol agtest checks, spelled exactly (FIPA's names are lowercase). */
export function isProtocolName(value: unknown): value is ProtocolName {
  return typeof value === "string" && KNOWN.has(value);
}
