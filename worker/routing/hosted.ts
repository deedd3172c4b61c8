/**
 * Names found not hosted, so that a reply to an external party (the client of `POST
 * /v1/messages`, an agent that posted to a public inbox) costs no call to a host that would only
 * answer `absent`. Learned from an `absent` answer, forgotten when this isolate deploys the name
 * and after {@link NOT_HOSTED_TTL_MS} in any case.
 *
 * It only ever decides for a receiver that is an external party of its conversation: were it
 * stale (a name deployed through another isolate at the edge within the TTL), such a message stays
 * in the log for the external party, as if it had been routed a moment before the deploy.
 * Everything else is still asked of the host.
 */
const NOT_HOSTED_TTL_MS = 5_000;
const MAX_ENTRIES = 1_000;

const notHosted = new Map<string, number>();

/** Whether `name` answered `absent` within the TTL (and was not deployed here since). */
export function knownNotHosted(name: string, now = Date.now()): boolean {
  const until = notHosted.get(name);
  if (until === undefined) return false;
  if (until > now) return true;
  notHosted.delete(name);
  return false;
}

/** Notes an `absent` answer. */
export function noteNotHosted(name: string, now = Date.now()): void {
  if (notHosted.size >= MAX_ENTRIES) notHosted.delete(notHosted.keys().next().value as string);
  notHosted.set(name, now + NOT_HOSTED_TTL_MS);
}

/** A name is being deployed: it is hosted from now on. */
export function noteHosted(name: string): void {
  notHosted.delete(name);
}
