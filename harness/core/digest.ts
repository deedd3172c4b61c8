import { sha256Hex } from "../../protocol/digest.js";
import type { Suite } from "./suite.js";

/**
 * The canonical description a suite's digest covers: id, version, its actions and, in run order,
 * every test's id, essential flag, timeout and description. Test code is not part of it (its
 * text differs between a tsx run and a bundle); a change of logic needs a version bump, and the
 * digest catches everything else that changes what a score means (a renamed, added, removed,
 * re-timed test, or one that became essential).
 */
export function canonicalSuite(suite: Suite): string {
  const actions = Object.keys(suite.actions)
    .sort()
    .map((name) => [name, suite.actions[name]?.usage ?? ""]);
  const tests = suite.tests.map((t) => [t.id, t.essential, t.timeout, t.description]);
  return JSON.stringify({ id: suite.id, version: suite.version, actions, tests });
}

/** `sha256-<hex>` of {@link canonicalSuite}. */
export async function suiteDigest(suite: Suite): Promise<string> {
  return `sha256-${await sha256Hex(new TextEncoder().encode(canonicalSuite(suite)))}`;
}
