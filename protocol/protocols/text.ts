import type { PartyState } from "./states.js";

// Wording shared by violations and state descriptions.

/** A list for a sentence: `a`, `a or b`, `a, b or c` (`and` when asked), `nothing` when empty. */
export function listText(items: readonly string[], last: "or" | "and" = "or"): string {
  if (items.length <= 1) return items[0] ?? "nothing";
  return `${items.slice(0, -1).join(", ")} ${last} ${items[items.length - 1]}`;
}

/** How a violation names a message: `accept-proposal from harness to a, b`. */
export function subjectOf(act: string, sender: string | null | undefined, receivers: readonly string[]): string {
  const from = sender === null || sender === undefined ? "" : ` from ${sender}`;
  const to = receivers.length === 0 ? "" : ` to ${receivers.join(", ")}`;
  return `${act}${from}${to}`;
}

/** What a participant in each state has done, completing "`b` ...". */
export const STATE_TEXT: { readonly [S in PartyState]: string } = {
  waiting: "has not answered yet",
  agreed: "has agreed",
  proposed: "has proposed",
  accepted: "has been accepted",
  refused: "refused",
  failed: "failed",
  informed: "sent its inform",
  rejected: "was rejected",
  "not-understood": "ended with not-understood",
  cancelled: "was cancelled",
  "cancel-answered": "was cancelled and answered the cancel",
  expired: "did not answer before the reply_by deadline",
};
