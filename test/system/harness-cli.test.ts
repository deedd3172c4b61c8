import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { agtest } from "./helpers/agtest-cli.js";
import { parseProfile } from "../../harness/core/index.js";

const dir = mkdtempSync(join(tmpdir(), "agtest-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("agtest run against the embedded runtime", () => {
  it("ping: core.passive interoperable, core.active divergent (no agact), and the table says why", async () => {
    const out = join(dir, "profile.json");
    const junit = join(dir, "junit.xml");
    const markdown = join(dir, "summary.md");
    const run = await agtest(
      "run",
      "--suite",
      "fipa",
      "--agent",
      "fixtures/agents/ping.wasm",
      "--features",
      "core.passive,core.active",
      "--out",
      out,
      "--junit",
      junit,
      "--markdown",
      markdown,
    );
    expect(run.err).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(1); // --fail-on divergent (the default): core.active is divergent
    const profile = parseProfile(JSON.parse(readFileSync(out, "utf8")));
    expect(profile.test_suite).toBe("urn:agtest:suite:fipa:1.1.0");
    expect(profile.profile).toEqual({ "core.passive": "interoperable", "core.active": "divergent" });
    expect(profile.suite_digest).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect(profile.subject).toMatchObject({ name: "ping", digest: expect.stringMatching(/^sha256-/) });
    expect(profile.results?.filter((r) => r.status === "pass").length).toBe(14);
    // ping answers agact requests with not-understood: the message backchannel reads that as unsupported.
    expect(run.out).toMatch(/core\.active +divergent +0 of 6 passed/);
    expect(run.out).toContain("core.active is divergent: 4 essential tests did not pass: core.active.sends-when-asked");
    expect(run.out).toContain(
      "this essential test needs action `send`, which the message backchannel does not support (127)",
    );
    expect(readFileSync(junit, "utf8")).toContain('<property name="score" value="divergent"/>');
    expect(readFileSync(markdown, "utf8")).toContain("| `core.passive` | ✅ interoperable | 14 of 14 |");
    // Not a TTY: one plain progress line per test on stderr.
    expect(run.err).toMatch(/^pass {2}core\.passive\.reply-echoes-conversation-id \(/m);
  });

  it("--fail-on regression --base: exit 1 on a junction that got worse than in the base profile, naming it; a known test excuses it", async () => {
    const base = join(dir, "base.json");
    writeFileSync(
      base,
      JSON.stringify({ test_suite: "urn:agtest:suite:fipa:1.1.0", profile: { "core.passive": "interoperable" } }),
    );
    const known = join(dir, "known.json");
    writeFileSync(known, JSON.stringify({ known: { "core.passive.reply-echoes-protocol": "terse by design" } }));
    const worse = await agtest(
      "run",
      "--agent",
      "fixtures/agents/ping-terse.wasm",
      "--features",
      "core.passive",
      "--fail-on",
      "regression",
      "--base",
      base,
    );
    const excused = await agtest(
      "run",
      "--agent",
      "fixtures/agents/ping-terse.wasm",
      "--features",
      "core.passive",
      "--fail-on",
      "regression",
      "--base",
      base,
      "--config",
      known,
    );
    expect(worse.out).toMatch(/core\.passive +constrained \(13 of 14\)/);
    expect(worse.err).toContain("fails --fail-on regression: core.passive (constrained (13 of 14); was interoperable)");
    expect(worse.code).toBe(1);
    expect(excused.err).toContain("known: core.passive.reply-echoes-protocol — terse by design");
    expect(excused.code).toBe(0);
  }, 180_000);

  it("--features core.passive --format json: the profile on stdout, exit 0", async () => {
    const run = await agtest(
      "run",
      "--agent",
      "fixtures/agents/ping.wasm",
      "--features",
      "core.passive",
      "--format",
      "json",
    );
    expect(run.code).toBe(0);
    expect(parseProfile(JSON.parse(run.out)).profile).toEqual({ "core.passive": "interoperable" });
  });

  it("a module the runtime would refuse: exit 3 with the deploy checks' reason, found before any runtime starts", async () => {
    const run = await agtest("run", "--agent", "fixtures/agents/forbidden-import.wasm");
    expect(run.code).toBe(3);
    // The runtime's own checks, run offline: its words, not a refused deploy (`deploy of ... failed`).
    expect(run.err).toContain(
      "--agent: fixtures/agents/forbidden-import.wasm is not a valid agent: forbidden import `wasi_snapshot_preview1.path_open` (WASI: ",
    );
    expect(run.err).not.toContain("deploy of");
    expect(run.err).not.toMatch(/\n\s+at /);
    const dir = mkdtempSync(join(tmpdir(), "agtest-bad-"));
    try {
      writeFileSync(join(dir, "notes.wasm"), "not a module at all");
      const garbage = await agtest("run", "--agent", join(dir, "notes.wasm"));
      expect(garbage.code).toBe(3);
      expect(garbage.err).toContain("is not a valid agent: bad magic number (not a WebAssembly module)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an HTTP endpoint that answers 404 to everything: exit 3 after one preflight POST, not a suite of timeouts", async () => {
    let posts = 0;
    const server = createServer((req, res) => {
      posts++;
      req.resume();
      res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/not-the-agent`;
    try {
      const run = await agtest("run", "--endpoint", url, "--name", "somebody");
      expect(run.code).toBe(3);
      expect(run.err).toContain(
        `agtest: the agent is unreachable: POST ${url} answered HTTP 404: Not Found to a preflight inform before the suite`,
      );
      expect(posts).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("an HTTP endpoint nobody listens on: exit 3", async () => {
    const run = await agtest("run", "--endpoint", "http://127.0.0.1:9/agent", "--name", "nobody");
    expect(run.code).toBe(3);
    expect(run.err).toMatch(/agtest: the agent is unreachable: cannot reach http:\/\/127\.0\.0\.1:9\/agent/);
  });
});
