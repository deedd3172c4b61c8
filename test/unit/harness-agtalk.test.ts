import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { defineSuite, messageBackchannel, runSuite, test } from "../../harness/core/index.js";
import { startHttpAdapter, type HttpAdapter } from "../../harness/node/agtalk/adapter-http.js";
import { writeMessageFile } from "../../harness/node/agtalk/files.js";
import { openFolderChannel } from "../../harness/node/channels/folder.js";
import { fipa } from "../../suites/fipa/index.js";
import { fakeAgent } from "./helpers/fake-agent.js";
import { startHttpAgent, type HttpAgent } from "./helpers/http-agent.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function folders() {
  const root = mkdtempSync(join(tmpdir(), "agtest-agtalk-"));
  cleanup.push(() => rmSync(root, { recursive: true, force: true }));
  return { outbox: join(root, "outbox"), inbox: join(root, "inbox") };
}

/** How long the adapter and the folder channel may take to move a file, and how often to look. */
const MOVED = { timeout: 3000, interval: 10 };

describe("agtalk folders + the HTTP adapter, end to end against a loopback HTTP agent", () => {
  it.each(["sync", "async"] as const)(
    "the fipa core cluster passes through folders (%s answers)",
    async (answering) => {
      const dirs = folders();
      const agent: HttpAgent = await startHttpAgent(fakeAgent({ name: "agent" }), answering);
      cleanup.push(() => agent.close());
      const adapter: HttpAdapter = await startHttpAdapter({ ...dirs, target: agent.url, interval: 20 });
      cleanup.push(() => adapter.close());
      const channel = await openFolderChannel({ ...dirs, agent: "agent", self: adapter.url, interval: 20 });
      cleanup.push(() => channel.close());
      const report = await runSuite(fipa, {
        channel,
        backchannel: messageBackchannel(channel, { timeout: 1000 }),
        features: ["core.passive", "core.active"],
      });
      expect(report.results.filter((r) => r.status !== "pass")).toEqual([]);
      expect(report.junctions.map((j) => j.score)).toEqual(["interoperable", "interoperable"]);
      await vi.waitFor(() => expect(readdirSync(dirs.inbox)).toEqual([]), MOVED);
      expect(readdirSync(dirs.outbox)).toEqual([]);
      expect(readdirSync(dirs.inbox)).toEqual([]);
      // Twenty tests through folders, two of them listening for silence (the adaptive window, a
      // multiple of the measured round trips): seconds on a loaded machine.
    },
    30_000,
  );

  it("the adapter sends outbox files in creation order and deletes each once sent", async () => {
    const dirs = folders();
    const agent = await startHttpAgent(() => undefined, "sync");
    cleanup.push(() => agent.close());
    const channel = await openFolderChannel({ ...dirs, agent: "agent" });
    cleanup.push(() => channel.close());
    for (let n = 0; n < 20; n++)
      await channel.send({ performative: "inform", sender: "agtest", receiver: "agent", content: n });
    const adapter = await startHttpAdapter({ ...dirs, target: agent.url });
    cleanup.push(() => adapter.close());
    await vi.waitFor(() => expect(agent.received).toHaveLength(20), MOVED);
    expect(agent.received.map((m) => (m as { content: number }).content)).toEqual([...Array(20).keys()]);
    await vi.waitFor(() => expect(readdirSync(dirs.outbox)).toEqual([]), MOVED);
  });

  it("never deletes an unsent file: retries with backoff until the target answers", async () => {
    const dirs = folders();
    const probe = await startHttpAgent(() => undefined, "sync");
    const port = Number(new URL(probe.url).port);
    await probe.close(); // a port nobody listens on (for now)
    const log: string[] = [];
    const adapter = await startHttpAdapter({
      ...dirs,
      target: `http://127.0.0.1:${port}/agent`,
      interval: 20,
      log: (line) => log.push(line),
    });
    cleanup.push(() => adapter.close());
    const name = await writeMessageFile(dirs.outbox, JSON.stringify({ performative: "inform", content: "kept" }));
    // The adapter tried, failed, and kept the file.
    await vi.waitFor(
      () => expect(log.filter((l) => l.startsWith(`could not send ${name}`)).length).toBeGreaterThan(1),
      {
        ...MOVED,
        timeout: 8000,
      },
    );
    expect(existsSync(join(dirs.outbox, name))).toBe(true);
    const agent = await startHttpAgent(() => undefined, "sync", port);
    cleanup.push(() => agent.close());
    await vi.waitFor(() => expect(agent.received).toHaveLength(1), { ...MOVED, timeout: 8000 });
    await vi.waitFor(() => expect(existsSync(join(dirs.outbox, name))).toBe(false), MOVED);
  });

  it("writes messages POSTed to its server into the inbox, one file each", async () => {
    const dirs = folders();
    const adapter = await startHttpAdapter({ ...dirs, target: "http://127.0.0.1:9/unused" });
    cleanup.push(() => adapter.close());
    const res = await fetch(adapter.url, {
      method: "POST",
      body: JSON.stringify([
        { performative: "inform", content: 1 },
        { performative: "inform", content: 2 },
      ]),
    });
    expect(res.status).toBe(202);
    expect(readdirSync(dirs.inbox).filter((f) => !f.startsWith("."))).toHaveLength(2);
  });
});

describe("the folder channel", () => {
  /** A suite of one test that runs `arrange` (drop files in the inbox), then waits for a message. */
  const reader = (arrange: () => void) =>
    defineSuite({
      id: "reader",
      version: "1.0.0",
      title: "reads one message",
      clusters: [
        {
          id: "r",
          title: "r",
          passive: [
            test("reads", { description: "reads one message", timeout: 2000 }, async (t) => {
              arrange();
              await t.expect();
            }),
          ],
        },
      ],
    });

  it.each([
    ['{"performative": "inf', "error", "not JSON"],
    ['{"performative": "xyzzy"}', "fail", "malformed FIPA ACL message"],
  ])("a file holding %s is a clear %s result for the test, never a crash", async (content, status, text) => {
    const dirs = folders();
    const channel = await openFolderChannel({ ...dirs, agent: "agent", interval: 20 });
    cleanup.push(() => channel.close());
    const file = join(dirs.inbox, "000-garbage.json");
    const suite = reader(() => {
      writeFileSync(file, content);
      const old = new Date(Date.now() - 10_000);
      utimesSync(file, old, old); // long settled: nobody is still writing it
    });
    const [result] = (await runSuite(suite, { channel })).results;
    expect(result).toMatchObject({ status, failure: { message: expect.stringContaining(text), received: content } });
    expect(existsSync(file)).toBe(false);
  });

  it("waits for a fresh partial file to be completed instead of calling it garbage", async () => {
    const dirs = folders();
    const channel = await openFolderChannel({ ...dirs, agent: "agent", interval: 20 });
    cleanup.push(() => channel.close());
    const file = join(dirs.inbox, "000-partial.json");
    const suite = reader(() => {
      writeFileSync(file, '{"performative": "inf');
      setTimeout(() => writeFileSync(file, '{"performative": "inform", "sender": "agent"}'), 100);
    });
    const [result] = (await runSuite(suite, { channel })).results;
    expect(result?.status).toBe("pass");
  });
});

describe("the CLI over agtalk folders", () => {
  it("agtest adapter http prints its reply URL; agtest run --outbox/--inbox scores through it", async () => {
    const { spawn } = await import("node:child_process");
    const dirs = folders();
    const agent = await startHttpAgent(fakeAgent({ name: "agent" }), "async");
    cleanup.push(() => agent.close());
    const adapter = spawn(
      process.execPath,
      [
        "harness/node/bin.mjs",
        "adapter",
        "http",
        "--outbox",
        dirs.outbox,
        "--inbox",
        dirs.inbox,
        "--target",
        agent.url,
        "--quiet",
      ],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const exited = new Promise<number | null>((resolve) => adapter.on("close", resolve));
    cleanup.push(async () => {
      adapter.kill("SIGTERM");
      await exited;
    });
    const replyUrl = await new Promise<string>((resolve, reject) => {
      let out = "";
      adapter.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        const m = /^reply URL: (\S+)$/m.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      setTimeout(() => reject(new Error(`no reply URL in ${JSON.stringify(out)}`)), 10_000);
    });
    const run = spawn(
      process.execPath,
      [
        "harness/node/bin.mjs",
        "run",
        "--outbox",
        dirs.outbox,
        "--inbox",
        dirs.inbox,
        "--name",
        "agent",
        "--self",
        replyUrl,
        "--backchannel",
        "message",
        "--features",
        "core.passive,core.active",
        "--format",
        "json",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    run.stdout.on("data", (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => run.on("close", resolve));
    expect(JSON.parse(out).profile).toEqual({ "core.passive": "interoperable", "core.active": "interoperable" });
    expect(code).toBe(0);
    adapter.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 30_000);
});
