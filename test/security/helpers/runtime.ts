import { SELF } from "cloudflare:test";
import { expect } from "vitest";
import { api } from "../../integration/api.js";

/** A logged message as `GET /v1/conversations/:id` shows it. */
export type Logged = { origin: string; message: Record<string, unknown> };
/** A conversation as the API shows it (the fields the security tests read). */
export type Transcript = { messages: Logged[]; refused: { reason: string; excerpt: string | null }[] };

/** The transcript of a conversation, or an empty one when it does not exist. */
export async function transcript(id: string): Promise<Transcript> {
  const res = await api(`/v1/conversations/${encodeURIComponent(id)}`);
  if (res.status === 404) {
    await res.body?.cancel();
    return { messages: [], refused: [] };
  }
  return (await res.json()) as Transcript;
}

/** Whether a conversation exists at all (a refused message must not create one). */
export async function conversationExists(id: string): Promise<boolean> {
  const res = await api(`/v1/conversations/${encodeURIComponent(id)}`);
  await res.body?.cancel();
  return res.status === 200;
}

/** An agent record's fields the tests read. */
export type AgentView = {
  state: string;
  termination_reason: string | null;
  termination_detail: string | null;
  stats: {
    messages_in: number;
    messages_out: number;
    mailbox_depth: number;
    rejected_sends: number;
    throttled: number;
  };
};

/** The record of an agent. */
export async function record(name: string): Promise<AgentView> {
  return (await (await api(`/v1/agents/${name}`)).json()) as AgentView;
}

/** Deploys a module with a manifest; expects 201. */
export async function deployWith(name: string, wasm: ArrayBuffer, manifest: unknown): Promise<void> {
  const form = new FormData();
  form.set("module", new Blob([wasm]), `${name}.wasm`);
  form.set("manifest", JSON.stringify(manifest));
  const res = await api(`/v1/agents?name=${name}`, { method: "POST", body: form });
  expect(res.status, await res.clone().text()).toBe(201);
}

/** Posts to an agent's public inbox without a token (anyone on the network). */
export function postInbox(
  name: string,
  message: unknown,
  query = "",
  headers: Record<string, string> = {},
): Promise<Response> {
  return SELF.fetch(`http://agtest.test/v1/agents/${name}/inbox${query}`, {
    method: "POST",
    headers,
    body: JSON.stringify(message),
  });
}

/** Whether the agent is quiet (nothing queued, nothing of it left to route), waiting up to `waitMs` for it. */
export async function quiet(name: string, waitMs = 15_000): Promise<boolean> {
  const res = await api(`/v1/agents/${name}/quiet?wait=${waitMs}`);
  return ((await res.json()) as { quiet: boolean }).quiet;
}

/**
 * Resolves once the agent has handled `n` messages and routed everything they caused (the
 * runtime says when it is quiet: mailbox and outbox empty).
 */
export async function settled(name: string, n: number): Promise<AgentView> {
  await expect
    .poll(
      async () => {
        const { stats } = await record(name);
        return stats.messages_in >= n && (await quiet(name));
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return record(name);
}
