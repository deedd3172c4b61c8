import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../harness/node/cli.js";
import { EXIT } from "../../harness/node/exit.js";
import type { Io } from "../../harness/node/io.js";

const dir = mkdtempSync(join(tmpdir(), "agtest-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in process and captures what it prints. */
async function agtest(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    progress: { isTTY: false, write: (t: string) => void (err += t) },
  };
  const code = await main(argv, io);
  return { code, out, err };
}

function config(value: unknown): string {
  const path = join(dir, `c-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
}

describe("config and flag errors name the key, exit 2, no stack trace", () => {
  it.each([
    [
      { agent: "a.wasm", features: ["core.passive", "core.active", "core.pasive"] },
      'config.features[2]: unknown junction "core.pasive" (did you mean core.passive?)',
    ],
    [{ agent: "a.wasm", timeout: "fast" }, "config.timeout: "],
    [{ agent: "a.wasm", timeout: 1.5 }, "config.timeout: expected a whole number of ms"],
    [{ agent: "a.wasm", "fail-on": "sometimes" }, "config.fail-on: "],
    [{ agent: "a.wasm", fetures: ["core.passive"] }, "config.fetures: unknown key (did you mean features?)"],
    [{ endpoint: "ftp://x" }, "config.endpoint: expected the agent's endpoint as an http(s) URL"],
    [{ agent: "a.wasm", features: [] }, "config.features: expected at least one junction"],
    [{ agent: "a.wasm", suite: "fipe" }, 'config.suite: unknown suite "fipe" (did you mean fipa?)'],
    [
      { agent: "a.wasm", backchannel: "carrier-pigeon" },
      'config.backchannel: expected "message", "none" or an http(s) URL',
    ],
    [
      { agent: "a.wasm", known: { "core.pasive": "typo" } },
      'config.known["core.pasive"]: no junction or test of suite fipa has this id (did you mean core.passive?)',
    ],
    [{ agent: "a.wasm", known: { "core.active": "" } }, "config.known.core.active: expected a non-empty string"],
    [{ agent: "a.wasm", known: ["core.active"] }, "config.known: "],
    ["{ not json", "is not valid JSON"],
  ])("config %j", async (value, message) => {
    const { code, err } = await agtest("run", "--config", config(value));
    expect(code).toBe(EXIT.usage);
    expect(err).toContain(message);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it.each([
    [
      ["run", "--agent", "a.wasm", "--features", "core.pasive"],
      '--features: unknown junction "core.pasive" (did you mean core.passive?)',
    ],
    [["run", "--agent", "a.wasm", "--timeout", "soon"], '--timeout: expected a whole number of ms, got "soon"'],
    [["run", "--agent", "a.wasm", "--fail-on", "x"], "--fail-on: "],
    [["run", "--agnet", "a.wasm"], "unknown option --agnet (did you mean --agent?)"],
    [["run"], "say which agent to test"],
    [["run", "--agent", "a.wasm", "--endpoint", "http://x"], "choose one agent to test"],
    [["run", "--outbox", "o"], "--inbox: --outbox and --inbox go together"],
    [["run", "--outbox", "o", "--inbox", "i"], "--name: the agent's address is needed"],
    [["run", "--agent", "a.wasm", "--agact", "x", "--backchannel", "none"], "choose one backchannel"],
    [["run", "--agent", join(dir, "missing.wasm")], "--agent: cannot read"],
    [["frobnicate"], 'unknown command "frobnicate"'],
    [
      ["run", "--agent", "a.wasm", "--fail-on", "regression", "--base", join(dir, "nope.json")],
      `--base: cannot read the base profile ${join(dir, "nope.json")} (ENOENT)`,
    ],
  ])("flags %j", async (argv, message) => {
    const { code, err } = await agtest(...argv);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain(message);
  });

  it("flags override the config file", async () => {
    const path = config({ agent: "a.wasm", features: ["core.pasive"] });
    const { err } = await agtest("run", "--config", path, "--features", "core.passive", "--timeout", "x");
    expect(err).toContain("--timeout");
  });
});

describe("help", () => {
  it("agtest --help lists the commands and the exit codes", async () => {
    const { code, out } = await agtest("--help");
    expect(code).toBe(0);
    for (const command of ["run", "pair", "suites", "adapter", "validate", "deploy", "serve"])
      expect(out).toMatch(new RegExp(`^  ${command} `, "m"));
    expect(out).not.toContain("badge");
    for (const exit of ["0 ", "1 ", "2 ", "3 ", "4 "]) expect(out).toMatch(new RegExp(`^  ${exit}`, "m"));
  });

  it.each(["run", "pair", "suites", "adapter", "validate", "deploy"])("agtest %s --help", async (command) => {
    const { code, out } = await agtest(command, "--help");
    expect(code).toBe(0);
    expect(out).toMatch(/Usage:/);
  });
});

describe("suites and validate", () => {
  it("lists the fipa suite's junctions and tests, as JSON too", async () => {
    const { out } = await agtest("suites");
    expect(out).toContain("urn:agtest:suite:fipa:1.1.0");
    expect(out).toMatch(/core\.passive +\(\d+ tests, \d+ essential\)/);
    const { out: json } = await agtest("suites", "--json");
    const parsed = JSON.parse(json) as { suites: { id: string; junctions: { id: string }[] }[] };
    expect(parsed.suites[0]?.junctions.map((j) => j.id)).toContain("core.active");
  });

  it("validate: OK for ping, the precise problem and exit 1 for forbidden-import", async () => {
    const ok = await agtest("validate", "fixtures/agents/ping.wasm");
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("imports: env.abort (func), agent.send (func), agent.log (func)");
    expect(ok.out).toContain("OK: valid agtest/1 agent");
    const bad = await agtest("validate", "fixtures/agents/forbidden-import.wasm");
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("INVALID: forbidden import `wasi_snapshot_preview1.path_open` (WASI: ");
  });
});
