import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One issue comment as the REST API returns it (the fields the action reads, and a few more). */
export type FakeComment = {
  id: number;
  body: string;
  user: { login: string; type: "User" | "Bot" };
  html_url: string;
  created_at: string;
  updated_at: string;
};

/** A request the server answered, for assertions. */
export type RecordedCall = {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: unknown;
};

/** A pull request as the fake serves it: head commit, branch and repository (default the fixture fork's). */
export type FakePull = { head_sha: string; head_ref?: string; head_repo?: string };

/** A workflow run on a branch, with the artifacts it uploaded (name -> zip bytes). */
export type FakeRun = {
  id: number;
  run_number: number;
  workflow: string;
  branch: string;
  event: string;
  repo: string;
  conclusion: "success" | "failure";
  artifacts: Record<string, Uint8Array>;
};

/**
 * How the fake behaves: `login` answers `GET /user` (undefined: 403, as for `GITHUB_TOKEN`);
 * `runs` are the repository's workflow runs, newest first; `forbidActions` answers the Actions
 * endpoints 403 (a token without `actions: read`).
 */
export type FakeGitHubOptions = {
  login?: string;
  forbidCreate?: boolean;
  perPageMax?: number;
  pulls?: Record<number, FakePull>;
  runs?: FakeRun[];
  forbidActions?: boolean;
};

/** A running fake of the GitHub REST endpoints the action uses, on loopback. */
export type FakeGitHub = {
  url: string;
  calls: RecordedCall[];
  /** Comments by pull request number, oldest first (what the list endpoint pages through). */
  comments: Map<number, FakeComment[]>;
  options: FakeGitHubOptions;
  close(): Promise<void>;
};

const INTEGRATION_403 = {
  message: "Resource not accessible by integration",
  documentation_url: "https://docs.github.com/rest",
  status: "403",
};

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
    calls.push({
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      body,
    });
    const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(value));
    };
    // Artifact zips are served from blob storage through a signed URL: no token there.
    const blob = /^\/blobs\/(\d+)\/(.+)\.zip$/.exec(url.pathname);
    if (blob && req.method === "GET") {
      const zip = options.runs?.find((r) => r.id === Number(blob[1]))?.artifacts[decodeURIComponent(blob[2] ?? "")];
      if (!zip) return send(404, { message: "BlobNotFound" });
      res.writeHead(200, { "content-type": "application/zip", "content-length": String(zip.byteLength) });
      return res.end(Buffer.from(zip));
    }
    if (!req.headers.authorization?.startsWith("token ")) return send(401, { message: "Requires authentication" });
    if (url.pathname.includes("/actions/")) {
      if (options.forbidActions) return send(403, INTEGRATION_403);
      const answered = actions(url, options.runs ?? [], base);
      if (answered)
        return answered.redirect
          ? (res.writeHead(302, { location: answered.redirect }), res.end())
          : send(200, answered.body);
    }
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
        const rels = [
          ...(page < pages ? [`<${link(page + 1)}>; rel="next"`, `<${link(pages)}>; rel="last"`] : []),
          ...(page > 1 ? [`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`] : []),
        ];
        return send(200, all.slice((page - 1) * perPage, page * perPage), rels.length ? { link: rels.join(", ") } : {});
      }
      if (req.method === "POST") {
        if (options.forbidCreate) return send(403, INTEGRATION_403);
        const comment = makeComment(
          nextId++,
          (body as { body: string }).body,
          options.login ?? "github-actions[bot]",
          `${list[1]}/${list[2]}`,
          number,
        );
        comments.set(number, [...all, comment]);
        return send(201, comment);
      }
    }
    const pull = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(url.pathname);
    if (pull && req.method === "GET") {
      const found = options.pulls?.[Number(pull[3])];
      return found
        ? send(200, pullJson(Number(pull[3]), found, `${pull[1]}/${pull[2]}`))
        : send(404, { message: "Not Found" });
    }
    const pulls = /^\/repos\/([^/]+)\/([^/]+)\/pulls$/.exec(url.pathname);
    if (pulls && req.method === "GET") {
      // `head=owner:branch`, as GitHub filters it.
      const head = url.searchParams.get("head");
      const all = Object.entries(options.pulls ?? {}).map(([n, p]) =>
        pullJson(Number(n), p, `${pulls[1]}/${pulls[2]}`),
      );
      return send(
        200,
        all.filter((p) => head === null || `${p.head.repo.owner.login}:${p.head.ref}` === head),
      );
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

/** A pull request as the REST API returns it (the fields the action reads). */
function pullJson(number: number, pull: FakePull, baseRepo: string) {
  const headRepo = pull.head_repo ?? "contributor/ping-agent";
  return {
    number,
    state: "open",
    head: {
      sha: pull.head_sha,
      ref: pull.head_ref ?? "pong-faster",
      repo: { full_name: headRepo, owner: { login: headRepo.split("/")[0] } },
    },
    base: { ref: "main", repo: { full_name: baseRepo } },
  };
}

/**
 * The Actions endpoints the base lookup uses: a workflow's runs (filtered by branch and status,
 * newest first), one run, a run's artifacts (by name), and an artifact's zip (a 302 to blob storage).
 *
 * @see https://docs.github.com/en/rest/actions/workflow-runs
 * @see https://docs.github.com/en/rest/actions/artifacts
 */
function actions(url: URL, runs: FakeRun[], base: string): { body?: unknown; redirect?: string } | undefined {
  const repoOf = (r: FakeRun) => ({ full_name: r.repo, owner: { login: r.repo.split("/")[0] } });
  const runJson = (r: FakeRun) => ({
    id: r.id,
    run_number: r.run_number,
    event: r.event,
    head_branch: r.branch,
    status: "completed",
    conclusion: r.conclusion,
    workflow_id: 93012345,
    path: `.github/workflows/${r.workflow}`,
    html_url: `https://github.com/agtest-demo/ping-agent/actions/runs/${r.id}`,
    head_repository: repoOf(r),
  });
  const list = /\/actions\/workflows\/([^/]+)\/runs$/.exec(url.pathname);
  if (list) {
    const branch = url.searchParams.get("branch");
    const status = url.searchParams.get("status");
    const found = runs.filter(
      (r) =>
        r.workflow === decodeURIComponent(list[1] ?? "") &&
        (branch === null || r.branch === branch) &&
        (status === null || r.conclusion === status),
    );
    return { body: { total_count: found.length, workflow_runs: found.map(runJson) } };
  }
  const artifacts = /\/actions\/runs\/(\d+)\/artifacts$/.exec(url.pathname);
  if (artifacts) {
    const run = runs.find((r) => r.id === Number(artifacts[1]));
    const name = url.searchParams.get("name");
    const items = Object.entries(run?.artifacts ?? {})
      .filter(([n]) => name === null || n === name)
      .map(([n, zip], i) => ({
        id: Number(artifacts[1]) * 100 + i,
        name: n,
        size_in_bytes: zip.byteLength,
        expired: false,
        archive_download_url: `${url.origin}${url.pathname}`,
      }));
    return { body: { total_count: items.length, artifacts: items } };
  }
  const zip = /\/actions\/artifacts\/(\d+)\/zip$/.exec(url.pathname);
  if (zip) {
    const id = Number(zip[1]);
    const run = runs.find((r) => r.id === Math.floor(id / 100));
    const name = Object.keys(run?.artifacts ?? {})[id % 100];
    return run && name ? { redirect: `${base}/blobs/${run.id}/${encodeURIComponent(name)}.zip` } : undefined;
  }
  const one = /\/actions\/runs\/(\d+)$/.exec(url.pathname);
  if (one) {
    const run = runs.find((r) => r.id === Number(one[1]));
    return { body: run ? runJson(run) : { id: Number(one[1]), workflow_id: 93012345 } };
  }
  return undefined;
}

/** A comment as GitHub would have stored it. */
export function makeComment(
  id: number,
  body: string,
  login: string,
  repo = "agtest-demo/ping-agent",
  number = 7,
): FakeComment {
  const at = new Date(Date.UTC(2026, 10, 20, 12, 0, id % 60)).toISOString();
  return {
    id,
    body,
    user: { login, type: login.endsWith("[bot]") ? "Bot" : "User" },
    html_url: `https://github.com/${repo}/pull/${number}#issuecomment-${id}`,
    created_at: at,
    updated_at: at,
  };
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
