import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { messageBackchannel, runSuite, type RunReport } from "../harness/core/index.js";
import { startHttpAdapter } from "../harness/node/agtalk/adapter-http.js";
import { openEmbedded } from "../harness/node/channels/embedded.js";
import { openFolderChannel } from "../harness/node/channels/folder.js";
import { SUITES } from "../suites/index.js";
import { type Summary, summarize } from "./stats.js";

/** Phases of a run of the whole fipa suite against the reference agent on the embedded runtime (ms). */
export type SuitePhases = {
  start: number;
  deploy: number;
  suite: number;
  close: number;
  total: number;
  tests: number;
  junctions: number;
};

/** The whole fipa suite against the reference agent, in process, as `agtest run --agent` does it. */
export async function benchSuite(parallel = 1): Promise<SuitePhases> {
  const suite = SUITES.fipa;
  if (!suite) throw new Error("the fipa suite is missing");
  const t0 = performance.now();
  const embedded = await openEmbedded({ wasm: "fixtures/agents/reference.wasm" });
  const t1 = performance.now();
  const lanes =
    parallel > 1
      ? async () => {
          const lane = await embedded.copy();
          return { channel: lane.channel, backchannel: messageBackchannel(lane.channel), close: () => lane.close() };
        }
      : undefined;
  let t2 = t1;
  let report: RunReport;
  try {
    report = await runSuite(suite, {
      channel: embedded.channel,
      backchannel: messageBackchannel(embedded.channel),
      subject: embedded.subject,
      ...(lanes ? { lanes, parallel } : {}),
    });
  } finally {
    t2 = performance.now();
    await embedded.close();
  }
  const t3 = performance.now();
  return {
    start: embedded.timings.start_ms,
    deploy: embedded.timings.deploy_ms,
    suite: t2 - t1,
    close: t3 - t2,
    total: t3 - t0,
    tests: report.results.length,
    junctions: report.junctions.length,
  };
}

/** Wall time of `agtest run --agent fixtures/agents/reference.wasm` as a process (exit code included). */
export async function benchCli(extra: string[] = []): Promise<{ ms: number; code: number | null }> {
  const t0 = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      ["harness/node/bin.mjs", "run", "--agent", "fixtures/agents/reference.wasm", ...extra],
      { stdio: "ignore" },
    );
    child.on("close", resolve);
  });
  return { ms: performance.now() - t0, code };
}

/** A loopback HTTP agent that answers every message in the response body. */
function echoAgent(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const m = JSON.parse(body) as Record<string, unknown>;
      const reply = {
        performative: "inform",
        sender: m.receiver,
        receiver: m.sender,
        content: m.content,
        conversation_id: m.conversation_id,
        in_reply_to: m.reply_with,
      };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server }),
    ),
  );
}

/**
 * The agtalk folder round trip (HIPE 0015 allows "a handful of seconds"): a message written to
 * the outbox, sent by the HTTP adapter, answered, written to the inbox and read back; beside the
 * same exchange as a direct HTTP POST.
 */
export async function benchAgtalk(rounds: number): Promise<{ folders: Summary; direct: Summary }> {
  const agent = await echoAgent();
  const root = mkdtempSync(join(tmpdir(), "agtest-bench-agtalk-"));
  const dirs = { outbox: join(root, "outbox"), inbox: join(root, "inbox") };
  const adapter = await startHttpAdapter({ ...dirs, target: agent.url, interval: 10 });
  const channel = await openFolderChannel({ ...dirs, agent: "echo", self: adapter.url, interval: 10 });
  const folders: number[] = [];
  const direct: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const message = {
        performative: "inform",
        sender: adapter.url,
        receiver: "echo",
        content: i,
        conversation_id: `c-${i}`,
        reply_with: `r-${i}`,
      };
      let t0 = performance.now();
      await channel.send(message);
      const got = await channel.inbox.take((item) => JSON.stringify(item).includes(`"r-${i}"`), { timeout: 10_000 });
      if (!got) throw new Error(`agtalk round trip ${i}: no reply within 10 s`);
      folders.push(performance.now() - t0);
      t0 = performance.now();
      await (await fetch(agent.url, { method: "POST", body: JSON.stringify(message) })).json();
      direct.push(performance.now() - t0);
    }
  } finally {
    await channel.close();
    await adapter.close();
    agent.server.close();
    rmSync(root, { recursive: true, force: true });
  }
  return { folders: summarize(folders), direct: summarize(direct) };
}
