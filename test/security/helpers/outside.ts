import { env } from "cloudflare:test";

/** A request the runtime made to the outside world (vitest.config.ts, `outsideWorld`). */
export type OutsideRequest = { url: string; hops: string | null; body: string };

/** A fresh path on the outside host, so tests running side by side never see each other's requests. */
export function outsidePath(label: string): string {
  return `/${label}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Every request that reached the outside at a path (or below it), in order. */
export async function reached(path: string): Promise<OutsideRequest[]> {
  return (await (
    await env.OUTSIDE_LOG.fetch(`http://log/requests?path=${encodeURIComponent(path)}`)
  ).json()) as OutsideRequest[];
}

/** Scripts what the outside answers to a POST at `path`. */
export async function answerAt(path: string, answer: { status?: number; type?: string; body: string }): Promise<void> {
  const res = await env.OUTSIDE_LOG.fetch(`http://log/script?path=${encodeURIComponent(path)}`, {
    method: "PUT",
    body: JSON.stringify({ status: answer.status ?? 200, type: answer.type ?? "application/json", body: answer.body }),
  });
  if (res.status !== 204) throw new Error(`scripting the outside failed: ${res.status}`);
}
