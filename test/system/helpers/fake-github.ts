import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One issue comment as the REST API returns it (the fields the action reads, and a few more). */
export type FakeComment = { id: number; body: string; user: { login: string; type: "User" | "Bot" }; html_url: string; created_at: string; updated_at: string };

/** A request the server answered, for assertions. */
export type RecordedCall = { method: string; path: string; query: Record<string, string>; authorization: string | undefined; body: unknown };

/** How the fake behaves: `login` answers `GET /user` (undefined: 403, as for `GITHUB_TOKEN`). */
export type FakeGitHubOptions = { login?: string; forbidCreate?: boolean; perPageMax?: number; pulls?: Record<number, { head_sha: string }> };

/** A running fake of the GitHub REST endpoints the action uses, on loopback. */
export type FakeGitHub = {
  url: string;
  calls: RecordedCall[];
  /** Comments by pull request number, oldest first (what the list endpoint pages through). */
  comments: Map<number, FakeComment[]>;
  options: FakeGitHubOptions;
  close(): Promise<void>;
};

const INTEGRATION_403 = { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest", status: "403" };

/**
 * A real HTTP server playing GitHub's REST API for issue comments, with its pagination (`Link`
 * headers with absolute URLs, `per_page` capped at 100) and its 403 for installation tokens on
 * `GET /user` and for read-only tokens on writes. Every call is recorded.
 *
 * @see https://docs.github.com/en/rest/issues/comments
 * @see https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
 */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const calls: RecordedCall[] = [];
  const comments = new Map<number, FakeComment[]>();
  let nextId = 5_000_001;
  let base = "";
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", base);
    const text = await readBody(req);
    const body: unknown = text ? JSON.parse(text) : undefined;
    calls.push({ method: req.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization, body });
    const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(value));
    };
    if (!req.headers.authorization?.startsWith("token ")) return send(401, { message: "Requires authentication" });
    if (req.method === "GET" && url.pathname === "/user") {
      return options.login ? send(200, { login: options.login, id: 77, type: "User" }) : send(403, INTEGRATION_403);
    }
    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (list) {
      const number = Number(list[3]);
      const all = comments.get(number) ?? [];
      if (req.method === "GET") {
        const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), options.perPageMax ?? 100);
        const page = Number(url.searchParams.get("page") ?? 1);
        const pages = Math.max(1, Math.ceil(all.length / perPage));
        const link = (p: number) => {
          const u = new URL(url);
          u.searchParams.set("per_page", String(perPage));
          u.searchParams.set("page", String(p));
          return u.toString();
        };
        const rels = [...(page < pages ? [`<${link(page + 1)}>; rel="next"`, `<${link(pages)}>; rel="last"`] : []), ...(page > 1 ? [`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`] : [])];
        return send(200, all.slice((page - 1) * perPage, page * perPage), rels.length ? { link: rels.join(", ") } : {});
      }
      if (req.method === "POST") {
        if (options.forbidCreate) return send(403, INTEGRATION_403);
        const comment = makeComment(nextId++, (body as { body: string }).body, options.login ?? "github-actions[bot]", `${list[1]}/${list[2]}`, number);
        comments.set(number, [...all, comment]);
        return send(201, comment);
      }
    }
    const pull = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(url.pathname);
    if (pull && req.method === "GET") {
      const found = options.pulls?.[Number(pull[3])];
      return found ? send(200, { number: Number(pull[3]), state: "open", head: { sha: found.head_sha, ref: "pong-faster" }, base: { ref: "main" } }) : send(404, { message: "Not Found" });
    }
    const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (one && req.method === "PATCH") {
      const id = Number(one[3]);
      for (const list of comments.values()) {
        const found = list.find((c) => c.id === id);
        if (found) {
          found.body = (body as { body: string }).body;
          found.updated_at = new Date().toISOString();
          return send(200, found);
        }
      }
      return send(404, { message: "Not Found" });
    }
    return send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    calls,
    comments,
    options,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A comment as GitHub would have stored it. */
export function makeComment(id: number, body: string, login: string, repo = "agtest-demo/ping-agent", number = 7): FakeComment {
  const at = new Date(Date.UTC(2026, 10, 20, 12, 0, id % 60)).toISOString();
  return { id, body, user: { login, type: login.endsWith("[bot]") ? "Bot" : "User" }, html_url: `https://github.com/${repo}/pull/${number}#issuecomment-${id}`, created_at: at, updated_at: at };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}
