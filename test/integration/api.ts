import { SELF, env } from "cloudflare:test";

/** Headers with the test token. */
export function auth(extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${env.AGTEST_TOKEN}`, ...extra };
}

/** A fresh agent name per test, so tests never share Durable Objects. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Calls the runtime through its real fetch handler. */
export async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return SELF.fetch(`http://agtest.test${path}`, {
    ...init,
    headers: { ...auth(), ...(init.headers as Record<string, string>) },
  });
}

/** Deploys a module and returns the response. */
export function deploy(name: string, wasm: ArrayBuffer | Uint8Array): Promise<Response> {
  return api(`/v1/agents?name=${name}`, {
    method: "POST",
    headers: { "content-type": "application/wasm" },
    body: wasm,
  });
}

/** A request message for `receiver`. */
export function request(receiver: string, content: unknown, extra: Record<string, unknown> = {}) {
  return {
    performative: "request",
    sender: "harness",
    receiver,
    content,
    conversation_id: `c-${crypto.randomUUID().slice(0, 8)}`,
    reply_with: `r-${crypto.randomUUID().slice(0, 8)}`,
    protocol: "fipa-request",
    ...extra,
  };
}

/** Sends a message and waits for the first reply (`wait` ms), or only until it is accepted (`null`). */
export function send(message: unknown, wait: number | null = 5000): Promise<Response> {
  return api(wait === null ? "/v1/messages" : `/v1/messages?wait=${wait}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(message),
  });
}
