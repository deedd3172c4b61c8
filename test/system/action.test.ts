import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseProfile } from "../../protocol/index.js";
import { SUITES } from "../../suites/index.js";
import { startRuntime } from "../../worker/local/runtime.js";
import { makeComment, startFakeGitHub, type FakeGitHub } from "./helpers/fake-github.js";
import { actionDefaults, checkoutAction, runAction, type ActionRun } from "./helpers/run-action.js";
import { xmlRoot } from "../helpers/xml.js";

const ROOT = process.cwd();
const MARKER = "<!-- agtest:fipa -->";
const TOKEN = "ghs_FakeInstallationToken0123456789";
const FORK_HEAD = "4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70";
const tmp = mkdtempSync(join(tmpdir(), "agtest-action-"));
const fakes: FakeGitHub[] = [];
let actionPath = "";
let workspace = "";

beforeAll(() => {
  // The action as GitHub checks it out: committed files, no node_modules/.
  actionPath = checkoutAction(ROOT, join(tmp, "_actions/agtest/agtest/main"));
  workspace = join(tmp, "workspace");
  mkdirSync(join(workspace, "agents"), { recursive: true });
  copyFileSync(join(ROOT, "fixtures/agents/ping.wasm"), join(workspace, "agents/ping.wasm"));
}, 120_000);

afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  rmSync(tmp, { recursive: true, force: true });
});

async function fakeGitHub(options: Parameters<typeof startFakeGitHub>[0] = {}): Promise<FakeGitHub> {
  const fake = await startFakeGitHub(options);
  fakes.push(fake);
  return fake;
}

/** One step `uses: agtest/agtest@main` with `with:` inputs, on a pull_request event. */
function step(github: FakeGitHub, inputs: Record<string, string>, event = "pull_request.synchronize.json", eventName = "pull_request"): Promise<ActionRun> {
  const defaults = actionDefaults(readFileSync(join(actionPath, "action.yml"), "utf8"), TOKEN);
  return runAction({ actionPath, workspace, event: join(ROOT, "fixtures/github", event), eventName, apiUrl: github.url, inputs: { ...defaults, ...inputs } });
}

const profileOf = (run: ActionRun) => parseProfile(JSON.parse(readFileSync(run.outputs.profile ?? "", "utf8")));
const writes = (github: FakeGitHub) => github.calls.filter((c) => c.method === "POST" || c.method === "PATCH");

describe("the bundled action, run as GitHub runs it", () => {
  let created: number;

  it("first run: installs the embedded runtime into its checkout, runs the suite, creates one comment, writes outputs and badges", async () => {
    const github = await fakeGitHub();
    const run = await step(github, { agent: "agents/ping.wasm", features: "core.passive" });
    expect(run.log).not.toContain("::error::");
    expect(run.code).toBe(0);
    expect(run.log).toContain("Installing the embedded runtime (npm ci --omit=dev");
    expect(existsSync(join(actionPath, "node_modules/wrangler/package.json"))).toBe(true);

    // GITHUB_TOKEN cannot read GET /user: the action looks for github-actions[bot]'s comments.
    expect(github.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /user",
      "GET /repos/agtest-demo/ping-agent/issues/7/comments",
      "POST /repos/agtest-demo/ping-agent/issues/7/comments",
    ]);
    expect(github.calls.every((c) => c.authorization === `token ${TOKEN}`)).toBe(true);
    const [comment] = github.comments.get(7) ?? [];
    expect(github.comments.get(7)).toHaveLength(1);
    created = comment?.id ?? 0;
    const body = comment?.body ?? "";
    expect(body.startsWith(`${MARKER}\n### agtest · \`fipa\``)).toBe(true);
    expect(body).toContain("![interop: 1/1](https://img.shields.io/badge/interop-1%2F1-brightgreen) **1/1 interoperable**");
    expect(body).toContain("| `core.passive` | ✅ interoperable | 14 of 14 |");
    expect(body).toContain("**Change against the base:** no base — set `edge-url`");
    expect(body).toContain("[Full report and log](https://github.com/agtest-demo/ping-agent/actions/runs/4242) · for 9f8c2d4");

    expect(run.outputs.score).toBe("1/1 interoperable");
    expect(run.outputs["comment-url"]).toBe(comment?.html_url);
    expect(run.outputs.profile).toBe(join(workspace, "agtest-results/fipa/profile.json"));
    const profile = parseProfile(JSON.parse(readFileSync(run.outputs.profile ?? "", "utf8")));
    expect(profile.profile).toEqual({ "core.passive": "interoperable" });
    expect(run.outputs.badge).toBe(join(workspace, "agtest-results/fipa/badge.svg"));
    const svg = readFileSync(run.outputs.badge ?? "", "utf8");
    expect(xmlRoot(svg)).toBe("svg");
    expect(svg).toContain("<title>interop: 1/1</title>");
    expect(JSON.parse(readFileSync(run.outputs["badge-json"] ?? "", "utf8"))).toEqual({ schemaVersion: 1, label: "interop", message: "1/1", color: "brightgreen" });
    expect(run.summary).toContain("| `core.passive` | ✅ interoperable | 14 of 14 |");
    expect(run.summary.trimEnd()).toBe(readFileSync(run.outputs.report ?? "", "utf8").trimEnd());
  }, 240_000);

  it("second run: updates the same comment in place, and fails the step on a divergent junction", async () => {
    const github = await fakeGitHub();
    github.comments.set(7, [makeComment(created, `${MARKER}\nold report`, "github-actions[bot]")]);
    const run = await step(github, { agent: "agents/ping.wasm", features: "core.passive,core.active" });
    expect(run.log).not.toContain("Installing the embedded runtime");
    expect(run.code).toBe(1);
    expect(run.log).toContain("::error::agtest: 1 claimed junction scored below `fail-on: divergent`: core.active (divergent); see the job summary");
    expect(writes(github).map((c) => `${c.method} ${c.path}`)).toEqual([`PATCH /repos/agtest-demo/ping-agent/issues/comments/${created}`]);
    const body = github.comments.get(7)?.[0]?.body ?? "";
    expect(body).toContain("| `core.active` | ❌ divergent | 0 of 6 |");
    expect(body).toContain("https://img.shields.io/badge/interop-1%2F2-red");
    expect(run.outputs.score).toBe("1/2 interoperable");
    expect(JSON.parse(readFileSync(run.outputs["badge-json"] ?? "", "utf8"))).toMatchObject({ message: "1/2", color: "red" });
    expect(run.summary).toContain("core.active");
  }, 120_000);

  it("a thread of 3 pages: finds its own comment on page 3 and leaves another user's marker comment alone", async () => {
    // A personal access token: GET /user answers, and comments are looked for among its login's.
    const github = await fakeGitHub({ login: "agtest-ci" });
    const thread = Array.from({ length: 260 }, (_, i) => makeComment(9_000 + i, `comment ${i}`, i % 2 ? "ada-dev" : "reviewer"));
    thread[40] = makeComment(9_040, `${MARKER}\ncopied by hand`, "mallory");
    thread[230] = makeComment(9_230, `${MARKER}\nquoted again`, "mallory");
    thread[250] = makeComment(9_250, `${MARKER}\nprevious report`, "agtest-ci");
    github.comments.set(7, thread);
    const run = await step(github, { agent: "agents/ping.wasm", features: "core.passive" });
    expect(run.code).toBe(0);
    const pages = github.calls.filter((c) => c.method === "GET" && c.path.endsWith("/comments")).map((c) => c.query.page ?? "1");
    expect(pages).toEqual(["1", "2", "3"]);
    expect(writes(github).map((c) => `${c.method} ${c.path}`)).toEqual(["PATCH /repos/agtest-demo/ping-agent/issues/comments/9250"]);
    expect(github.comments.get(7)?.[40]?.body).toBe(`${MARKER}\ncopied by hand`);
    expect(github.comments.get(7)?.[230]?.body).toBe(`${MARKER}\nquoted again`);
    expect(github.comments.get(7)?.[250]?.body).toContain("| `core.passive` | ✅ interoperable |");
  }, 120_000);

  it("a fork's read-only token: the 403 on comment creation is a warning; the step passes with the summary and the profile", async () => {
    const github = await fakeGitHub({ forbidCreate: true });
    const run = await step(github, { agent: "agents/ping.wasm", features: "core.passive" }, "pull_request.fork.json");
    expect(run.code).toBe(0);
    expect(run.log).toMatch(/::warning::agtest: cannot comment on pull request #8 \(403 Resource not accessible by integration.*\): pull requests from forks get a read-only token: comment from a second workflow on `workflow_run`/);
    expect(writes(github).map((c) => `${c.method} ${c.path}`)).toEqual(["POST /repos/agtest-demo/ping-agent/issues/8/comments"]);
    expect(run.summary).toContain("| `core.passive` | ✅ interoperable | 14 of 14 |");
    expect(existsSync(run.outputs.profile ?? "")).toBe(true);
    expect(run.outputs["comment-url"]).toBe("");
    expect(JSON.parse(readFileSync(join(workspace, "agtest-results/fipa/comment.json"), "utf8"))).toMatchObject({ pull_request: 8, head_sha: FORK_HEAD, marker: MARKER });
  }, 120_000);

  it("the fork recipe's second workflow (workflow_run, comment-from): posts the comment the run left, after checking the pull request's head", async () => {
    const github = await fakeGitHub({ pulls: { 8: { head_sha: FORK_HEAD } } });
    const run = await step(github, { "comment-from": "agtest-results/fipa" }, "workflow_run.completed.json", "workflow_run");
    expect(run.log).not.toContain("::error::");
    expect(run.code).toBe(0);
    expect(run.log).not.toContain("Installing the embedded runtime");
    expect(github.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /repos/agtest-demo/ping-agent/pulls/8",
      "GET /user",
      "GET /repos/agtest-demo/ping-agent/issues/8/comments",
      "POST /repos/agtest-demo/ping-agent/issues/8/comments",
    ]);
    expect(github.comments.get(8)?.[0]?.body).toContain("| `core.passive` | ✅ interoperable | 14 of 14 |");
    expect(run.outputs["comment-url"]).toBe(github.comments.get(8)?.[0]?.html_url);

    // A pull request whose head moved on (or an artifact naming another one): nothing is posted.
    const moved = await fakeGitHub({ pulls: { 8: { head_sha: "f".repeat(40) } } });
    const stale = await step(moved, { "comment-from": "agtest-results/fipa" }, "workflow_run.completed.json", "workflow_run");
    expect(stale.code).toBe(0);
    expect(stale.log).toContain("::warning::agtest: comment.json names pull request #8, whose head is fffffff, not the commit the run tested (4d5e6f7): not posting");
    expect(writes(moved)).toEqual([]);
  }, 60_000);

  it("with an edge runtime: compares with the base branch's stored profile, publishes this run's (the badge URL is the output), and can host the agent for the run", async () => {
    const edge = await startRuntime({ port: 0, token: "edge-secret", persistTo: false, logLevel: "error" });
    try {
      const put = await fetch(`${edge.url}/v1/profiles/agtest-demo/ping-agent/main`, {
        method: "PUT",
        headers: { authorization: "Bearer edge-secret", "content-type": "application/json" },
        body: JSON.stringify({ test_suite: SUITES.fipa?.uri, profile: { "core.passive": "constrained (12 of 14)", "core.active": "interoperable" } }),
      });
      expect(put.status).toBe(201);
      const github = await fakeGitHub();
      const run = await step(github, { agent: "agents/ping.wasm", features: "core.passive", "edge-url": edge.url, "edge-token": "edge-secret" });
      expect(run.code).toBe(0);
      const body = github.comments.get(7)?.[0]?.body ?? "";
      expect(body).toContain("**Change against `main` (edge profile store):** ⬇️ 1 regressed · ⬆️ 1 improved · 0 unchanged");
      expect(body).toContain("| `core.active` | ✅ interoperable | ➖ not claimed | ⬇️ regressed |");
      expect(body).toContain("| `core.passive` | ⚠️ constrained (12 of 14) | ✅ interoperable | ⬆️ improved |");
      expect(run.outputs.badge).toBe(`${edge.url}/v1/badges/agtest-demo/ping-agent/refs%2Fpull%2F7%2Fmerge.svg`);
      const stored = await fetch(`${edge.url}/v1/profiles/agtest-demo/ping-agent/${encodeURIComponent("refs/pull/7/merge")}`, { headers: { authorization: "Bearer edge-secret" } });
      expect(parseProfile(await stored.json()).profile).toEqual({ "core.passive": "interoperable" });
      // The token is masked (the runner hides what follows ::add-mask::) and never printed otherwise.
      expect(run.log).toContain("::add-mask::edge-secret");
      expect(run.log.replaceAll("::add-mask::edge-secret", "")).not.toContain("edge-secret");

      // run-on: edge: the module is deployed there for the run, tested there, and removed.
      const onEdge = await step(github, { agent: "agents/ping.wasm", features: "core.passive", "run-on": "edge", "edge-url": edge.url, "edge-token": "edge-secret" });
      expect(onEdge.log).not.toContain("::error::");
      expect(onEdge.code).toBe(0);
      expect(onEdge.log).toContain(`agtest: deployed agents/ping.wasm to ${edge.url} as ping-ci-4242-1`);
      expect(onEdge.outputs.score).toBe("1/1 interoperable");
      const onEdgeProfile = parseProfile(JSON.parse(readFileSync(onEdge.outputs.profile ?? "", "utf8")));
      expect(onEdgeProfile.subject).toMatchObject({ name: "ping", digest: profileOf(run).subject?.digest });
      const agents = (await (await fetch(`${edge.url}/v1/agents`, { headers: { authorization: "Bearer edge-secret" } })).json()) as unknown;
      expect(JSON.stringify(agents)).not.toContain("ping-ci-4242-1");
      expect(writes(github).map((c) => c.method)).toEqual(["POST", "PATCH"]);
    } finally {
      await edge.stop();
    }
  }, 120_000);

  it("a bad input fails at once, naming the input, with the summary saying so", async () => {
    const github = await fakeGitHub();
    const run = await step(github, { agent: "agents/ping.wasm", "fail-on": "sometimes" });
    expect(run.code).toBe(1);
    expect(run.log).toContain('::error::agtest: input `fail-on`: expected one of divergent, constrained, never, got "sometimes"');
    expect(run.summary).toContain("### agtest could not run");
    expect(github.calls).toEqual([]);
  }, 60_000);
});
