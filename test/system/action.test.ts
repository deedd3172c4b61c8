import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseProfile } from "../../protocol/index.js";
import { SUITES } from "../../suites/index.js";
import { startRuntime } from "../../worker/local/runtime.js";
import { zipSync } from "fflate";
import { makeComment, startFakeGitHub, type FakeGitHub, type FakeRun } from "./helpers/fake-github.js";
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
  copyFileSync(join(ROOT, "fixtures/agents/ping-terse.wasm"), join(workspace, "agents/ping-terse.wasm"));
  for (const agent of ["reference", "mutant-inform-before-agree"])
    copyFileSync(join(ROOT, `fixtures/agents/${agent}.wasm`), join(workspace, `agents/${agent}.wasm`));
  copyFileSync(join(ROOT, "fixtures/agents/thermostat-lax.wasm"), join(workspace, "agents/thermostat-lax.wasm"));
  // A user's suite in the workspace, with no node_modules/ beside it: `agtest/suite` is the action's own.
  mkdirSync(join(workspace, "suites"));
  copyFileSync(join(ROOT, "fixtures/suites/thermostat.mjs"), join(workspace, "suites/thermostat.mjs"));
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
function step(
  github: FakeGitHub,
  inputs: Record<string, string>,
  event = "pull_request.synchronize.json",
  eventName = "pull_request",
): Promise<ActionRun> {
  const defaults = actionDefaults(readFileSync(join(actionPath, "action.yml"), "utf8"), TOKEN);
  return runAction({
    actionPath,
    workspace,
    event: join(ROOT, "fixtures/github", event),
    eventName,
    apiUrl: github.url,
    inputs: { ...defaults, ...inputs },
  });
}

const profileOf = (run: ActionRun) => parseProfile(JSON.parse(readFileSync(run.outputs.profile ?? "", "utf8")));
const writes = (github: FakeGitHub) => github.calls.filter((c) => c.method === "POST" || c.method === "PATCH");

describe("the bundled action, run as GitHub runs it", () => {
  it("first run installs the embedded runtime, runs the suite, creates one comment, writes outputs and badges; a second run updates that comment in place and fails on a divergent junction", async () => {
    const github = await fakeGitHub();
    const run = await step(github, { agent: "agents/ping.wasm", features: "core.passive" });
    expect(run.log).not.toContain("::error::");
    expect(run.code).toBe(0);
    expect(run.log).toContain("Installing the embedded runtime (npm ci --omit=dev");
    expect(existsSync(join(actionPath, "node_modules/wrangler/package.json"))).toBe(true);

    // GITHUB_TOKEN cannot read GET /user: the action looks for github-actions[bot]'s comments.
    expect(github.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      // The base: the same workflow's last successful runs on the base branch (there are none).
      "GET /repos/agtest-demo/ping-agent/actions/workflows/agtest.yml/runs",
      "GET /user",
      "GET /repos/agtest-demo/ping-agent/issues/7/comments",
      "POST /repos/agtest-demo/ping-agent/issues/7/comments",
    ]);
    expect(github.calls[0]?.query).toMatchObject({ branch: "main", status: "success" });
    expect(github.calls.every((c) => c.authorization === `token ${TOKEN}`)).toBe(true);
    const [comment] = github.comments.get(7) ?? [];
    expect(github.comments.get(7)).toHaveLength(1);
    const body = comment?.body ?? "";
    expect(body.startsWith(`${MARKER}\n### agtest · \`fipa\``)).toBe(true);
    expect(body).toContain(
      "![interop: 1/1](https://img.shields.io/badge/interop-1%2F1-brightgreen) **1/1 interoperable**",
    );
    expect(body).toContain("| `core.passive` | ✅ interoperable | 14 of 14 |");
    // No edge store, no base-profile, and no earlier run of the workflow on main uploaded results.
    expect(body).toContain(
      "**Change against the base:** no base — no successful run of `agtest.yml` on `main` uploaded the artifact `agtest-results` yet.",
    );
    expect(body).toContain(
      "[Full report and log](https://github.com/agtest-demo/ping-agent/actions/runs/4242) · for 9f8c2d4",
    );

    expect(run.outputs.score).toBe("1/1 interoperable");
    expect(run.outputs["comment-url"]).toBe(comment?.html_url);
    expect(run.outputs.profile).toBe(join(workspace, "agtest-results/fipa/profile.json"));
    const profile = parseProfile(JSON.parse(readFileSync(run.outputs.profile ?? "", "utf8")));
    expect(profile.profile).toEqual({ "core.passive": "interoperable" });
    expect(run.outputs.badge).toBe(join(workspace, "agtest-results/fipa/badge.svg"));
    const svg = readFileSync(run.outputs.badge ?? "", "utf8");
    expect(xmlRoot(svg)).toBe("svg");
    expect(svg).toContain("<title>interop: 1/1</title>");
    expect(JSON.parse(readFileSync(run.outputs["badge-json"] ?? "", "utf8"))).toEqual({
      schemaVersion: 1,
      label: "interop",
      message: "1/1",
      color: "brightgreen",
    });
    expect(run.summary).toContain("| `core.passive` | ✅ interoperable | 14 of 14 |");
    expect(run.summary.trimEnd()).toBe(readFileSync(run.outputs.report ?? "", "utf8").trimEnd());

    // A second run in the same checkout (one test: it needs what the first installed and posted):
    // the runtime is not installed again, the same comment is updated in place, and a divergent
    // junction fails the step.
    const created = comment?.id;
    expect(created).toEqual(expect.any(Number));
    const again = await step(github, { agent: "agents/ping.wasm", features: "core.passive,core.active" });
    expect(again.log).not.toContain("Installing the embedded runtime");
    expect(again.code).toBe(1);
    expect(again.log).toContain(
      "::error::agtest: 1 claimed junction scored below `fail-on: divergent`: core.active (divergent); see the job summary",
    );
    expect(writes(github).map((c) => `${c.method} ${c.path}`)).toEqual([
      "POST /repos/agtest-demo/ping-agent/issues/7/comments",
      `PATCH /repos/agtest-demo/ping-agent/issues/comments/${created}`,
    ]);
    expect(github.comments.get(7)).toHaveLength(1);
    const updated = github.comments.get(7)?.[0]?.body ?? "";
    expect(updated).toContain("| `core.active` | ❌ divergent | 0 of 6 |");
    expect(updated).toContain("https://img.shields.io/badge/interop-1%2F2-red");
    expect(again.outputs.score).toBe("1/2 interoperable");
    expect(JSON.parse(readFileSync(again.outputs["badge-json"] ?? "", "utf8"))).toMatchObject({
      message: "1/2",
      color: "red",
    });
    expect(again.summary).toContain("core.active");
  }, 360_000);

  it("suite: a user's suite file in the workspace, and skip: GLOB=REASON lines (the skipped test's reason in the comment; it does not fail the step)", async () => {
    const github = await fakeGitHub();
    const run = await step(github, {
      agent: "agents/thermostat-lax.wasm",
      suite: "./suites/thermostat.mjs",
      skip: "thermostat.set.passive.refuses-*=agrees to any target, issue 7\n",
    });
    expect(run.log).not.toContain("::error::");
    expect(run.code).toBe(0);
    const profile = profileOf(run);
    expect(profile.test_suite).toBe("urn:agtest:suite:thermostat:1.0.0");
    expect(profile.profile).toEqual({
      "thermostat.set.passive": "divergent",
      "thermostat.query.passive": "interoperable",
    });
    const body = github.comments.get(7)?.[0]?.body ?? "";
    expect(body).toContain(
      "- `thermostat.set.passive.refuses-out-of-range` (essential): agrees to any target, issue 7 (--skip thermostat.set.passive.refuses-*)",
    );
  }, 120_000);

  it("a thread of 3 pages: finds its own comment on page 3 and leaves another user's marker comment alone", async () => {
    // A personal access token: GET /user answers, and comments are looked for among its login's.
    const github = await fakeGitHub({ login: "agtest-ci" });
    const thread = Array.from({ length: 260 }, (_, i) =>
      makeComment(9_000 + i, `comment ${i}`, i % 2 ? "ada-dev" : "reviewer"),
    );
    thread[40] = makeComment(9_040, `${MARKER}\ncopied by hand`, "mallory");
    thread[230] = makeComment(9_230, `${MARKER}\nquoted again`, "mallory");
    thread[250] = makeComment(9_250, `${MARKER}\nprevious report`, "agtest-ci");
    github.comments.set(7, thread);
    const run = await step(github, { agent: "agents/ping.wasm", features: "core.passive" });
    expect(run.code).toBe(0);
    const pages = github.calls
      .filter((c) => c.method === "GET" && c.path.endsWith("/comments"))
      .map((c) => c.query.page ?? "1");
    expect(pages).toEqual(["1", "2", "3"]);
    expect(writes(github).map((c) => `${c.method} ${c.path}`)).toEqual([
      "PATCH /repos/agtest-demo/ping-agent/issues/comments/9250",
    ]);
    expect(github.comments.get(7)?.[40]?.body).toBe(`${MARKER}\ncopied by hand`);
    expect(github.comments.get(7)?.[230]?.body).toBe(`${MARKER}\nquoted again`);
    expect(github.comments.get(7)?.[250]?.body).toContain("| `core.passive` | ✅ interoperable |");
  }, 120_000);

  it("a fork's read-only token: the 403 on comment creation is a warning; the step passes with the summary and the profile", async () => {
    const github = await fakeGitHub({ forbidCreate: true });
    const run = await step(github, { agent: "agents/ping.wasm", features: "core.passive" }, "pull_request.fork.json");
    expect(run.code).toBe(0);
    expect(run.log).toMatch(
      /::warning::agtest: cannot comment on pull request #8 \(403 Resource not accessible by integration.*\): pull requests from forks get a read-only token: comment from a second workflow on `workflow_run`/,
    );
    expect(writes(github).map((c) => `${c.method} ${c.path}`)).toEqual([
      "POST /repos/agtest-demo/ping-agent/issues/8/comments",
    ]);
    expect(run.summary).toContain("| `core.passive` | ✅ interoperable | 14 of 14 |");
    expect(existsSync(run.outputs.profile ?? "")).toBe(true);
    expect(run.outputs["comment-url"]).toBe("");
    expect(JSON.parse(readFileSync(join(workspace, "agtest-results/fipa/comment.json"), "utf8"))).toMatchObject({
      pull_request: 8,
      head_sha: FORK_HEAD,
      marker: MARKER,
    });
  }, 120_000);

  it("the fork recipe's second workflow (workflow_run, comment-from): posts the comment the run left, after checking the pull request's head", async () => {
    const github = await fakeGitHub({ pulls: { 8: { head_sha: FORK_HEAD } } });
    const run = await step(
      github,
      { "comment-from": "agtest-results/fipa" },
      "workflow_run.completed.json",
      "workflow_run",
    );
    expect(run.log).not.toContain("::error::");
    expect(run.code).toBe(0);
    expect(run.log).not.toContain("Installing the embedded runtime");
    expect(github.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      // The pull request comes from the workflow_run event (its head repository and branch), not from comment.json.
      "GET /repos/agtest-demo/ping-agent/pulls",
      "GET /repos/agtest-demo/ping-agent/pulls/8",
      "GET /user",
      "GET /repos/agtest-demo/ping-agent/issues/8/comments",
      "POST /repos/agtest-demo/ping-agent/issues/8/comments",
    ]);
    expect(github.comments.get(8)?.[0]?.body).toContain("| `core.passive` | ✅ interoperable | 14 of 14 |");
    expect(run.outputs["comment-url"]).toBe(github.comments.get(8)?.[0]?.html_url);

    // A pull request whose head moved on (or an artifact naming another one): nothing is posted.
    const moved = await fakeGitHub({ pulls: { 8: { head_sha: "f".repeat(40) } } });
    const stale = await step(
      moved,
      { "comment-from": "agtest-results/fipa" },
      "workflow_run.completed.json",
      "workflow_run",
    );
    expect(stale.code).toBe(0);
    expect(stale.log).toContain(
      "::warning::agtest: no open pull request of contributor/ping-agent has the commit the run tested (4d5e6f7) as its head: not posting",
    );
    expect(writes(moved)).toEqual([]);
  }, 60_000);

  it("with an edge runtime: compares with the base branch's stored profile, publishes this run's (the badge URL is the output), and can host the agent for the run", async () => {
    const edge = await startRuntime({ port: 0, token: "edge-secret", persistTo: false, logLevel: "error" });
    try {
      const put = await fetch(`${edge.url}/v1/profiles/agtest-demo/ping-agent/main`, {
        method: "PUT",
        headers: { authorization: "Bearer edge-secret", "content-type": "application/json" },
        body: JSON.stringify({
          test_suite: SUITES.fipa?.uri,
          profile: { "core.passive": "constrained (12 of 14)", "core.active": "interoperable" },
        }),
      });
      expect(put.status).toBe(201);
      const github = await fakeGitHub();
      const run = await step(github, {
        agent: "agents/ping.wasm",
        features: "core.passive",
        "edge-url": edge.url,
        "edge-token": "edge-secret",
      });
      expect(run.code).toBe(0);
      const body = github.comments.get(7)?.[0]?.body ?? "";
      expect(body).toContain(
        "**Change against `main` (edge profile store):** ⬇️ 1 regressed · ⬆️ 1 improved · 0 unchanged",
      );
      expect(body).toContain("| `core.active` | ✅ interoperable | ➖ not claimed | ⬇️ regressed |");
      expect(body).toContain("| `core.passive` | ⚠️ constrained (12 of 14) | ✅ interoperable | ⬆️ improved |");
      expect(run.outputs.badge).toBe(`${edge.url}/v1/badges/agtest-demo/ping-agent/refs%2Fpull%2F7%2Fmerge.svg`);
      const stored = await fetch(
        `${edge.url}/v1/profiles/agtest-demo/ping-agent/${encodeURIComponent("refs/pull/7/merge")}`,
        { headers: { authorization: "Bearer edge-secret" } },
      );
      expect(parseProfile(await stored.json()).profile).toEqual({ "core.passive": "interoperable" });
      // The token is masked (the runner hides what follows ::add-mask::) and never printed otherwise.
      expect(run.log).toContain("::add-mask::edge-secret");
      expect(run.log.replaceAll("::add-mask::edge-secret", "")).not.toContain("edge-secret");

      // run-on: edge: the module is deployed there for the run, tested there, and removed.
      const onEdge = await step(github, {
        agent: "agents/ping.wasm",
        features: "core.passive",
        "run-on": "edge",
        "edge-url": edge.url,
        "edge-token": "edge-secret",
      });
      expect(onEdge.log).not.toContain("::error::");
      expect(onEdge.code).toBe(0);
      expect(onEdge.log).toContain(`agtest: deployed agents/ping.wasm to ${edge.url} as ping-ci-4242-1`);
      expect(onEdge.outputs.score).toBe("1/1 interoperable");
      const onEdgeProfile = parseProfile(JSON.parse(readFileSync(onEdge.outputs.profile ?? "", "utf8")));
      expect(onEdgeProfile.subject).toMatchObject({ name: "ping", digest: profileOf(run).subject?.digest });
      const agents = (await (
        await fetch(`${edge.url}/v1/agents`, { headers: { authorization: "Bearer edge-secret" } })
      ).json()) as unknown;
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
    expect(run.log).toContain(
      '::error::agtest: input `fail-on`: expected one of divergent, constrained, regression, never, got "sometimes"',
    );
    expect(run.summary).toContain("### agtest could not run");
    expect(github.calls).toEqual([]);
  }, 60_000);
});

/** The results artifact a run of the workflow uploaded: `agtest-results/` zipped, so `fipa/profile.json` inside. */
function resultsZip(profile: Record<string, string>, folder = "fipa"): Uint8Array {
  const json = JSON.stringify({ test_suite: SUITES.fipa?.uri, profile });
  return zipSync({
    [`${folder}/profile.json`]: new TextEncoder().encode(json),
    [`${folder}/badge.json`]: new TextEncoder().encode("{}"),
  });
}

/** A run of `agtest.yml` on a branch of this repository (or another, for a fork's run). */
function wfRun(id: number, artifacts: Record<string, Uint8Array>, over: Partial<FakeRun> = {}): FakeRun {
  return {
    id,
    run_number: id - 900,
    workflow: "agtest.yml",
    branch: "main",
    event: "push",
    repo: "agtest-demo/ping-agent",
    conclusion: "success",
    artifacts,
    ...over,
  };
}

describe("the base branch's last run as the base (no server), fail-on regression, known divergences, comment modes", () => {
  it("finds the base in the newest successful push run's artifact, skipping runs a pull request could have planted; an unchanged constrained junction passes `fail-on: regression`", async () => {
    const poisoned = resultsZip({ "core.passive": "divergent" });
    const github = await fakeGitHub({
      runs: [
        // Newest first: a fork's pull request run from a branch named main, and a failed run: never a base.
        wfRun(909, { "agtest-results": poisoned }, { event: "pull_request", repo: "contributor/ping-agent" }),
        wfRun(908, { "agtest-results": poisoned }, { conclusion: "failure" }),
        // A successful run that uploaded nothing, then the one that did.
        wfRun(907, {}),
        wfRun(906, {
          "agtest-results": resultsZip({ "core.passive": "constrained (13 of 14)", "metadata.passive": "divergent" }),
        }),
      ],
    });
    const run = await step(github, {
      agent: "agents/ping-terse.wasm",
      features: "core.passive,metadata.passive",
      "fail-on": "regression",
    });
    expect(run.log).not.toContain("::error::");
    expect(run.code).toBe(0);
    const api = github.calls.map((c) => `${c.method} ${c.path}`);
    expect(api.slice(0, 4)).toEqual([
      "GET /repos/agtest-demo/ping-agent/actions/workflows/agtest.yml/runs",
      "GET /repos/agtest-demo/ping-agent/actions/runs/907/artifacts",
      "GET /repos/agtest-demo/ping-agent/actions/runs/906/artifacts",
      "GET /repos/agtest-demo/ping-agent/actions/artifacts/90600/zip",
    ]);
    expect(api).toContain("GET /blobs/906/agtest-results.zip");
    expect(api.some((c) => c.includes("/909/") || c.includes("/908/"))).toBe(false);
    const body = github.comments.get(7)?.[0]?.body ?? "";
    expect(body).toContain(
      "**Change against the last run on `main` ([#6](https://github.com/agtest-demo/ping-agent/actions/runs/906), artifact `agtest-results`):** none, 2 unchanged",
    );
    expect(body).toContain("**Gate (`fail-on: regression`):** ✅ no regression against the base");
    expect(profileOf(run).profile).toEqual({
      "core.passive": "constrained (13 of 14)",
      "metadata.passive": "divergent",
    });
  }, 180_000);

  it("fails `fail-on: regression` on a junction that scores worse than on the base; a junction the base lacks is new, not a regression", async () => {
    const github = await fakeGitHub({
      runs: [wfRun(906, { "agtest-results": resultsZip({ "core.passive": "interoperable" }) })],
    });
    const run = await step(github, {
      agent: "agents/ping-terse.wasm",
      features: "core.passive,metadata.passive",
      "fail-on": "regression",
    });
    expect(run.code).toBe(1);
    expect(run.log).toContain(
      "::error::agtest: 1 claimed junction regressed against the base: core.passive (was interoperable, now constrained (13 of 14)); see the job summary",
    );
    const body = github.comments.get(7)?.[0]?.body ?? "";
    expect(body).toContain("| `core.passive` | ✅ interoperable | ⚠️ constrained (13 of 14) | ⬇️ regressed |");
    expect(body).toContain(
      "**Gate (`fail-on: regression`):** ❌ 1 regression: `core.passive` (was interoperable, now constrained (13 of 14))",
    );
    expect(run.summary).toContain("❌ 1 regression");
  }, 120_000);

  it("a known divergence (config `known`) never fails the step and is shown with its reason; one that passes now is reported as removable", async () => {
    const config = join(workspace, "agtest-known.json");
    writeFileSync(
      config,
      JSON.stringify({
        known: {
          "metadata.passive": "ping has no profile to tell",
          "core.passive.reply-echoes-protocol": "terse by design",
          "core.passive.answers-a-request": "was flaky",
        },
      }),
    );
    const github = await fakeGitHub({ forbidActions: true });
    const run = await step(github, {
      agent: "agents/ping-terse.wasm",
      features: "core.passive,metadata.passive",
      "fail-on": "constrained",
      config: "agtest-known.json",
    });
    expect(run.log).not.toContain("::error::");
    expect(run.code).toBe(0);
    expect(run.log).toContain(
      '::notice::agtest: known divergence `core.passive.answers-a-request` passes now: it can be removed from "known"',
    );
    const body = github.comments.get(7)?.[0]?.body ?? "";
    expect(body).toContain("| `metadata.passive` | ping has no profile to tell | known |");
    expect(body).toContain("| `core.passive.reply-echoes-protocol` | terse by design | known |");
    expect(body).toContain("| `core.passive.answers-a-request` | was flaky | 🧹 passes now: can be removed |");
    // Without `actions: read` there is no base, and the comment says what to grant.
    expect(body).toContain(
      "no base — the token may not read this repository's Actions artifacts: give the job `permissions: actions: read`",
    );

    // The same config without the entry for a junction's only failing test fails the step.
    writeFileSync(config, JSON.stringify({ known: { "metadata.passive": "ping has no profile to tell" } }));
    const strict = await step(await fakeGitHub({ forbidActions: true }), {
      agent: "agents/ping-terse.wasm",
      features: "core.passive,metadata.passive",
      "fail-on": "constrained",
      config: "agtest-known.json",
    });
    expect(strict.code).toBe(1);
    expect(strict.log).toContain(
      "::error::agtest: 1 claimed junction scored below `fail-on: constrained`: core.passive (constrained (13 of 14))",
    );
  }, 180_000);

  it("comment-mode: changes leaves the comment untouched when no score changed, and updates it when one did", async () => {
    const github = await fakeGitHub();
    const first = await step(github, { agent: "agents/ping.wasm", features: "core.passive" });
    expect(first.code).toBe(0);
    const [comment] = github.comments.get(7) ?? [];
    const before = comment?.body ?? "";
    expect(before).toMatch(/^<!-- agtest-scores sha256:[0-9a-f]{64} -->$/m);

    const same = await step(github, { agent: "agents/ping.wasm", features: "core.passive", "comment-mode": "changes" });
    expect(same.code).toBe(0);
    expect(same.log).toContain(
      `agtest: no score changed (comment-mode: changes): comment ${comment?.html_url} left as it was`,
    );
    expect(writes(github)).toHaveLength(1);
    expect(github.comments.get(7)?.[0]?.body).toBe(before);
    expect(same.outputs["comment-url"]).toBe(comment?.html_url);

    const changed = await step(github, {
      agent: "agents/ping.wasm",
      features: "core.passive,metadata.passive",
      "comment-mode": "changes",
      "fail-on": "never",
    });
    expect(changed.code).toBe(0);
    expect(writes(github).map((c) => c.method)).toEqual(["POST", "PATCH"]);
    expect(github.comments.get(7)?.[0]?.body).toContain("| `metadata.passive` | ❌ divergent |");

    const off = await step(github, { agent: "agents/ping.wasm", features: "core.passive", "comment-mode": "off" });
    expect(off.code).toBe(0);
    expect(writes(github)).toHaveLength(2);
  }, 240_000);
  it("pair: runs agtest pair between the modules, writes pair.json and the matrices to the job summary, fails the step on a failing pair", async () => {
    const github = await fakeGitHub();
    const run = await step(github, {
      pair: "agents/reference.wasm,agents/mutant-inform-before-agree.wasm",
      "out-dir": "pair-results",
    });
    expect(run.code).toBe(1);
    expect(run.log).toContain("::error::agtest: some pair fails; see the job summary");
    expect(run.outputs["pair-report"]).toBe("pair-results/pair.json");
    const report = JSON.parse(readFileSync(join(workspace, "pair-results/pair.json"), "utf8")) as {
      protocols: {
        protocol: string;
        cells: { initiator: string; participant: string; outcome: { verdict: string; rule?: string } }[];
      }[];
    };
    const request = report.protocols.find((m) => m.protocol === "fipa-request");
    expect(request?.cells.find((c) => c.participant === "mutant-inform-before-agree")?.outcome).toMatchObject({
      verdict: "fails",
      rule: "after-done",
    });
    expect(run.summary).toContain("#### fipa-request");
    expect(run.summary).toContain("| reference | ✅ works | ❌ after-done |");
    // Nothing to comment on: the pair report goes to the job summary, not the pull request.
    expect(writes(github)).toHaveLength(0);
  }, 240_000);
});

describe("the fork recipe against a hostile artifact", () => {
  /** What a fork's run could leave: a comment.json of its choosing. */
  function plant(folder: string, pending: Record<string, unknown> | string): string {
    const dir = join(workspace, folder);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "comment.json"), typeof pending === "string" ? pending : JSON.stringify(pending));
    return folder;
  }

  it("a comment.json naming another pull request with the same head commit posts nothing", async () => {
    // #5 is someone else's pull request at the same commit; the run that made the artifact tested #8.
    const github = await fakeGitHub({
      pulls: {
        5: { head_sha: FORK_HEAD, head_repo: "victim/ping-agent", head_ref: "fix" },
        8: { head_sha: FORK_HEAD },
      },
    });
    const folder = plant("hostile/other-pr", {
      pull_request: 5,
      head_sha: FORK_HEAD,
      marker: MARKER,
      body: `${MARKER}\nhijacked`,
    });
    const run = await step(github, { "comment-from": folder }, "workflow_run.completed.json", "workflow_run");
    expect(run.code).toBe(0);
    expect(run.log).toContain(
      "::warning::agtest: comment.json names pull request #5, but the run that made it tested pull request #8: not posting",
    );
    expect(writes(github)).toEqual([]);
    expect(github.calls.some((c) => c.path.endsWith("/pulls/5"))).toBe(false);
  }, 60_000);

  it("a comment.json that is a symlink is refused without quoting its target", async () => {
    const dir = join(workspace, "hostile/symlink");
    mkdirSync(dir, { recursive: true });
    const secret = join(tmp, "secret.txt");
    writeFileSync(secret, "TOP-SECRET-CONTENT");
    symlinkSync(secret, join(dir, "comment.json"));
    const github = await fakeGitHub({ pulls: { 8: { head_sha: FORK_HEAD } } });
    const run = await step(
      github,
      { "comment-from": "hostile/symlink" },
      "workflow_run.completed.json",
      "workflow_run",
    );
    expect(run.code).toBe(1);
    expect(run.log).toContain("is not a regular file (a symlink or a folder is refused)");
    expect(run.log).not.toContain("TOP-SECRET");
    expect(writes(github)).toEqual([]);
  }, 60_000);

  it("a comment.json that is not JSON is refused without echoing it", async () => {
    const github = await fakeGitHub({ pulls: { 8: { head_sha: FORK_HEAD } } });
    const run = await step(
      github,
      { "comment-from": plant("hostile/garbage", "SECRET-LOOKING garbage {") },
      "workflow_run.completed.json",
      "workflow_run",
    );
    expect(run.code).toBe(1);
    expect(run.log).toContain("comment.json is not JSON");
    expect(run.log).not.toContain("SECRET-LOOKING");
  }, 60_000);
});
