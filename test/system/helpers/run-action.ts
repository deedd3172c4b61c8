import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** What one run of the action left: exit code, log, `GITHUB_OUTPUT` values, the job summary. */
export type ActionRun = { code: number | null; log: string; outputs: Record<string, string>; summary: string };

/** What GitHub gives a JavaScript action: its checkout, the workspace, the event, the API. */
export type ActionEnv = {
  actionPath: string;
  workspace: string;
  event: string;
  eventName?: string;
  apiUrl: string;
  repository?: string;
  ref?: string;
  runId?: number;
  inputs: Record<string, string>;
};

/**
 * Copies the repository as GitHub checks an action out: the committed files (and new ones not
 * ignored, so uncommitted work is tested too), without `node_modules/`.
 */
export function checkoutAction(root: string, into: string): string {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    const target = join(into, file);
    mkdirSync(dirname(target), { recursive: true });
    try {
      copyFileSync(join(root, file), target);
    } catch (error) {
      // A file deleted but not yet staged is listed and gone: a checkout would not have it either.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return into;
}

/**
 * Runs `action/dist/index.js` as the runner does: a `node` child process in the workspace with
 * `INPUT_*` variables (names upper-cased, dashes kept), the event payload file and fresh
 * `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY` files; nothing of this process's environment but what a
 * runner also has (PATH, HOME for npm's cache).
 */
export function runAction(env: ActionEnv): Promise<ActionRun> {
  const files = mkdtempSync(join(tmpdir(), "agtest-runner-"));
  const output = join(files, "output");
  const summary = join(files, "summary.md");
  for (const f of [output, summary, join(files, "env"), join(files, "path"), join(files, "state")])
    writeFileSync(f, "");
  const inputs = Object.fromEntries(
    Object.entries(env.inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, "_").toUpperCase()}`, v]),
  );
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? files,
    LANG: "C.UTF-8",
    CI: "true",
    GITHUB_ACTIONS: "true",
    RUNNER_OS: "Linux",
    RUNNER_TEMP: files,
    GITHUB_ACTION_PATH: env.actionPath,
    GITHUB_WORKSPACE: env.workspace,
    GITHUB_EVENT_NAME: env.eventName ?? "pull_request",
    GITHUB_EVENT_PATH: env.event,
    GITHUB_REPOSITORY: env.repository ?? "agtest-demo/ping-agent",
    GITHUB_REF: env.ref ?? "refs/pull/7/merge",
    GITHUB_SHA: "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
    GITHUB_RUN_ID: String(env.runId ?? 4242),
    GITHUB_WORKFLOW_REF: `${env.repository ?? "agtest-demo/ping-agent"}/.github/workflows/agtest.yml@${env.ref ?? "refs/pull/7/merge"}`,
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: env.apiUrl,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_ENV: join(files, "env"),
    GITHUB_PATH: join(files, "path"),
    GITHUB_STATE: join(files, "state"),
    // The embedded runtime's install takes packages from npm's cache when it has them (offline CI).
    npm_config_prefer_offline: "true",
    ...inputs,
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(env.actionPath, "action/dist/index.js")], {
      cwd: env.workspace,
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (c: Buffer) => (log += c.toString()));
    child.stderr.on("data", (c: Buffer) => (log += c.toString()));
    child.on("close", (code) =>
      resolve({
        code,
        log,
        outputs: parseOutputs(readFileSync(output, "utf8")),
        summary: readFileSync(summary, "utf8"),
      }),
    );
  });
}

/** `GITHUB_OUTPUT`'s format: `name<<DELIMITER`, the value's lines, `DELIMITER`. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n?\2$/gm;
  for (const m of text.matchAll(re)) outputs[m[1] as string] = m[3] as string;
  return outputs;
}

/** The inputs' defaults, read from `action.yml` with a YAML parser. */
export { actionDefaults } from "../../helpers/action-metadata.js";
