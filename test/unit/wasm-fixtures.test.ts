import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prepareModule, validateModule } from "../../worker/wasm/index.js";
import { fixtureAgents } from "./helpers/corpus.js";
import { global, recordingAgent } from "./helpers/run.js";

// The AssemblyScript sample agents (fixtures/agents/*.wasm, built by fixtures/build.ts).
const agents = fixtureAgents();
const LIMITS = { maxMemoryPages: 256 };

const request = (receiver: string, content: unknown, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    performative: "request",
    sender: "h",
    receiver,
    content,
    conversation_id: "c1",
    reply_with: "r1",
    ...extra,
  });

const MESSAGES: Record<string, string[]> = {
  ping: [
    request("ping", "ping"),
    request("ping", "pong"),
    request("ping", { x: 1 }),
    JSON.stringify({ performative: "inform", sender: "h", receiver: "ping", content: "ping" }),
    JSON.stringify({ performative: "not-understood", sender: "h", receiver: "ping" }),
    "not json",
    "",
  ],
  echo: [
    request("echo", "hello"),
    request("echo", { nested: [1, 2, { a: null }] }),
    request("echo", 42),
    "{}",
    "[",
    "",
  ],
  "cpu-burn": [
    request("cpu-burn", "1000"),
    request("cpu-burn", 5000),
    request("cpu-burn", "x"),
    request("cpu-burn", "99999999999"),
  ],
};

function sideBySide(name: string): { feed: (message: string) => number } {
  const bytes = agents[name];
  if (!bytes) throw new Error(`fixtures/agents/${name}.wasm is missing: npm run build:fixtures`);
  const original = recordingAgent(bytes);
  const instrumented = recordingAgent(bytes, LIMITS);
  expect(instrumented.init()).toEqual(original.init());
  return {
    /** Feeds both, expects the same outcome and sends, returns how many messages were sent. */
    feed(message) {
      const expected = original.feed(message);
      expect(instrumented.feed(message)).toEqual(expected);
      return expected.sends.length;
    },
  };
}

/** The agents these tests run: committed under fixtures/agents (rebuilt by `npm run build:fixtures`). */
const NEEDED = ["ping", "echo", "cpu-burn", "spin", "memory-hog", "forbidden-import"];

describe("fixture agents", () => {
  it("are all there (a missing .wasm fails here, it does not skip the tests below)", () => {
    expect(NEEDED.filter((name) => agents[name] === undefined)).toEqual([]);
  });

  it.each(Object.keys(MESSAGES))("%s behaves the same instrumented", (name) => {
    const { feed } = sideBySide(name);
    let sent = 0;
    for (const message of MESSAGES[name]!) sent += feed(message);
    expect(sent).toBeGreaterThan(0);
  });

  it("ping answers pong, instrumented", () => {
    const ping = recordingAgent(agents["ping"]!, LIMITS);
    expect(ping.init()).toEqual({ value: 0 });
    const { code, sends } = ping.feed(request("ping", "ping"));
    expect(code).toEqual({ value: 0 });
    expect(sends).toHaveLength(1);
    expect(JSON.parse(sends[0]!)).toMatchObject({
      performative: "inform",
      content: "pong",
      conversation_id: "c1",
      in_reply_to: "r1",
    });
  });

  it("echo behaves the same for random contents", () => {
    const { feed } = sideBySide("echo");
    fc.assert(
      fc.property(fc.jsonValue(), (content) => {
        expect(feed(request("echo", content))).toBe(1);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("spin is stopped by fuel", () => {
    const spin = recordingAgent(agents["spin"]!, { ...LIMITS, fuel: 100_000n });
    expect(spin.feed(request("spin", "go")).code).toEqual({ trap: expect.stringMatching(/unreachable/) });
    expect(global(spin.exports, "__agtest_fuel").value).toBeLessThan(0n);
  });

  it("memory-hog hits the memory cap and raises the OOM flag", () => {
    const hog = recordingAgent(agents["memory-hog"]!, { maxMemoryPages: 32 });
    expect(hog.feed(request("memory-hog", "eat")).code).toEqual({ trap: expect.stringMatching(/unreachable|abort/) });
    expect(global(hog.exports, "__agtest_oom").value).toBe(1);
    expect(global(hog.exports, "__agtest_fuel").value).toBeGreaterThan(0n);
  });

  it("forbidden-import is refused", () => {
    expect(() => validateModule(agents["forbidden-import"]!, LIMITS)).toThrow(
      `forbidden import \`wasi_snapshot_preview1.path_open\` (WASI: the runtime implements only fd_write, fd_close, fd_seek, fd_fdstat_get, random_get, clock_time_get, proc_exit, environ_sizes_get, environ_get, args_sizes_get and args_get (stdout and stderr go to the agent's log, no files, sockets or environment))`,
    );
  });

  it.each(Object.keys(agents).filter((n) => n !== "forbidden-import"))("%s prepares into a valid module", (name) => {
    const prepared = prepareModule(agents[name]!, { ...LIMITS, fuel: 1n << 40n });
    expect(WebAssembly.validate(prepared.bytes)).toBe(true);
    expect(prepared.memory.maximum).toBeLessThanOrEqual(LIMITS.maxMemoryPages);
  });
});
