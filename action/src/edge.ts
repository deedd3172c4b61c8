import { parseProfile, type InteropProfile } from "../../protocol/index.js";

/** An agtest edge runtime and its bearer token. */
export type Edge = { url: string; token: string };

/** Where a repository's profile for a ref lives on the runtime: `ref` is one path segment (`refs%2Fpull%2F3%2Fmerge`). */
export function profileUrl(edge: Pick<Edge, "url">, owner: string, repo: string, ref: string): string {
  return `${edge.url}/v1/profiles/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/${encodeURIComponent(ref)}`;
}

/** The runtime's live badge of a ref (public: what a README embeds). */
export function badgeUrl(
  edge: Pick<Edge, "url">,
  owner: string,
  repo: string,
  ref: string,
  ext: "svg" | "json" = "svg",
): string {
  return `${edge.url}/v1/badges/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/${encodeURIComponent(ref)}.${ext}`;
}

/** `PUT /v1/profiles/:owner/:repo/:ref`: stores this run's profile (the badge routes serve it from then on). */
export async function publishProfile(
  edge: Edge,
  owner: string,
  repo: string,
  ref: string,
  profile: InteropProfile,
): Promise<void> {
  const res = await call(edge, profileUrl(edge, owner, repo, ref), {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(profile),
  });
  if (res.status !== 200 && res.status !== 201) throw new Error(`PUT ${ref}: ${await reason(res)}`);
}

/**
 * `GET /v1/profiles/:owner/:repo/:ref[?suite=URI]`: the latest profile stored for a ref (and
 * suite), or `undefined` when there is none (404).
 */
export async function fetchProfile(
  edge: Edge,
  owner: string,
  repo: string,
  ref: string,
  suite?: string,
): Promise<InteropProfile | undefined> {
  const query = suite === undefined ? "" : `?suite=${encodeURIComponent(suite)}`;
  const res = await call(edge, `${profileUrl(edge, owner, repo, ref)}${query}`, { method: "GET" });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`GET ${ref}: ${await reason(res)}`);
  return parseProfile(await res.json());
}

async function call(edge: Edge, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${edge.token}` },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new Error(`cannot reach ${edge.url} (${cause})`);
  }
}

async function reason(res: Response): Promise<string> {
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  const hint = res.status === 401 ? " (is `edge-token` the runtime's AGTEST_TOKEN?)" : "";
  return `${res.status}${body.error ? ` ${body.error.code ?? ""} ${body.error.message ?? ""}`.trimEnd() : ""}${hint}`;
}
