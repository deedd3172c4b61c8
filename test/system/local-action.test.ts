import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { parseProfile } from "../../protocol/index.js";

const ROOT = process.cwd();
const tmp = mkdtempSync(join(tmpdir(), "agtest-local-action-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * GitHub's own toolkit runs the action: `@github/local-action` reads `action.yml` (its inputs and
 * their defaults), replaces `@actions/core` and `@actions/github` with its own implementations,
 * and calls `run()` from `action/src/main.ts`, offline. Inputs come from a dotenv file, as its
 * README shows (`INPUT_<NAME>`, dashes kept).
 *
 * @see https://github.com/github/local-action
 */
describe("the action under @github/local-action", () => {
  it("runs offline with INPUT_AGENT set to a fixture and writes the profile, badge and report", async () => {
    const out = join(tmp, "out");
    const env = join(tmp, ".env");
    writeFileSync(
      env,
      [
        "INPUT_AGENT=fixtures/agents/ping.wasm",
        "INPUT_FEATURES=core.passive",
        `INPUT_OUT-DIR=${out}`,
        "INPUT_COMMENT-MODE=off",
        // No token: nothing to look up on GitHub (this machine is offline).
        "INPUT_GITHUB-TOKEN=",
        "GITHUB_REPOSITORY=agtest-demo/ping-agent",
        "GITHUB_EVENT_NAME=push",
        "GITHUB_REF=refs/heads/main",
        "GITHUB_SHA=0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
        "GITHUB_RUN_ID=1",
        "GITHUB_RUN_ATTEMPT=1",
        "GITHUB_SERVER_URL=https://github.com",
        "",
      ].join("\n"),
    );
    const bin = join(ROOT, "node_modules/@github/local-action/bin/local-action.js");
    const child = spawn(process.execPath, [bin, "run", ROOT, "action/src/main.ts", env], {
      cwd: ROOT,
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        NO_COLOR: "1",
        FORCE_COLOR: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (c: Buffer) => (log += c.toString()));
    child.stderr.on("data", (c: Buffer) => (log += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(log).not.toContain("::error::");
    expect(code, log.slice(-3000)).toBe(0);
    // local-action printed the action's metadata as it read it from action.yml.
    expect(log).toContain("Action Metadata");
    expect(log).toContain("::set-output name=score::1/1 interoperable");

    const profile = parseProfile(JSON.parse(readFileSync(join(out, "profile.json"), "utf8")));
    expect(profile.profile).toEqual({ "core.passive": "interoperable" });
    const svg = readFileSync(join(out, "badge.svg"), "utf8");
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain("<title>interop: 1/1</title>");
    expect(JSON.parse(readFileSync(join(out, "badge.json"), "utf8"))).toEqual({
      schemaVersion: 1,
      label: "interop",
      message: "1/1",
      color: "brightgreen",
    });
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("| `core.passive` | ✅ interoperable | 14 of 14 |");
    expect(existsSync(join(out, "junit.xml"))).toBe(true);
  }, 240_000);
});
