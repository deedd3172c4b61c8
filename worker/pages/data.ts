import type { InteropProfile } from "../../protocol/index.js";
import type { Env } from "../env.js";
import type { LoggedMessage } from "../conversation/index.js";
import type { AgentRecord } from "../host/record.js";
import type { StoredProfile } from "../profiles/index.js";
import { HOSTED_OWNER, HOSTED_REF } from "../runs/execute.js";
import { conversationOf, hostOf, profilesOf, registryOf } from "../stubs.js";

/** Every hosted agent's record, by name. */
export async function hostedAgents(env: Env): Promise<AgentRecord[]> {
  const summaries = await registryOf(env).list();
  const records = await Promise.all(summaries.map(async (s) => await hostOf(env, s.name).record()));
  return records.flatMap((r) => (r.ok ? [r.value] : []));
}

/** The latest profile a hosted agent's edge runs produced for a suite URI prefix, if any. */
export async function hostedProfile(env: Env, agent: string): Promise<StoredProfile | null> {
  return await profilesOf(env, HOSTED_OWNER, agent).latest(HOSTED_REF, null);
}

/** One row of the matrix: who, where the profile came from, and the profile. */
export type MatrixRow = {
  label: string;
  href: string | null;
  source: "hosted" | "published";
  stored_at: string;
  profile: InteropProfile;
};

/**
 * The matrix rows for a suite: every hosted agent with a profile for it, then every repository ref
 * the action published one for (newest first).
 */
export async function matrixRows(env: Env, suiteUri: string): Promise<MatrixRow[]> {
  const rows: MatrixRow[] = [];
  for (const agent of await registryOf(env).list()) {
    const stored = await profilesOf(env, HOSTED_OWNER, agent.name).latest(HOSTED_REF, suiteUri);
    if (stored)
      rows.push({
        label: agent.name,
        href: `/agents/${encodeURIComponent(agent.name)}`,
        source: "hosted",
        stored_at: stored.stored_at,
        profile: stored.profile,
      });
  }
  for (const p of await registryOf(env).publishedProfiles()) {
    if (p.test_suite !== suiteUri || p.owner === HOSTED_OWNER) continue;
    const stored = await profilesOf(env, p.owner, p.repo).latest(p.ref, suiteUri);
    if (stored)
      rows.push({
        label: `${p.owner}/${p.repo}@${p.ref}`,
        href: null,
        source: "published",
        stored_at: stored.stored_at,
        profile: stored.profile,
      });
  }
  return rows;
}

/**
 * Every conversation the agent's host still remembers (its last 20), newest first, each cut to its
 * last 30 messages: the page sets the backchannel ones apart, so it needs them all to find five real ones.
 */
export async function agentConversations(
  env: Env,
  agent: string,
): Promise<{ id: string; messages: LoggedMessage[] }[]> {
  const ids = await hostOf(env, agent).recentConversations();
  const transcripts = await Promise.all(ids.map(async (id) => await conversationOf(env, id).transcript()));
  return transcripts.flatMap((t) => (t ? [{ id: t.conversation_id, messages: t.messages.slice(-30) }] : []));
}
