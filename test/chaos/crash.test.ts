import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const token = "crash-token";
const auth = { authorization: `Bearer ${token}` };

/** The runtime as its own process group (`npm start` does the same), so it can be killed whole. */
async function launch(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn("npx", ["tsx", "worker/local/cli.ts", "--port", "0", "--persist", dir, "--token", token], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`runtime did not start: ${out}`)), 30_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`runtime exited with ${code}: ${out}`)));
  });
  return { url, child };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    // already gone
  }
}

describe("chaos: the runtime killed mid-stream", () => {
  const dir = mkdtempSync(join(tmpdir(), "agtest-crash-"));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) killGroup(child, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("loses no acknowledged message and delivers none twice after a restart on the same storage", async () => {
    const first = await launch(dir);
    children.push(first.child);
    const deployed = await fetch(`${first.url}/v1/agents?name=echo`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/wasm" },
      body: readFileSync("fixtures/agents/echo.wasm"),
    });
    expect(deployed.status).toBe(201);

    // A steady stream, killed (SIGKILL, no shutdown) while messages are still arriving.
    const conversation_id = "c-stream";
    const acknowledged: number[] = [];
    let killed = false;
    const stream = (async () => {
      for (let i = 0; !killed && i < 10_000; i++) {
        try {
          const res = await fetch(`${first.url}/v1/messages`, {
            method: "POST",
            headers: auth,
            body: JSON.stringify({
              performative: "inform",
              sender: "harness",
              receiver: "echo",
              content: i,
              conversation_id,
              message_id: `m-${i}`,
            }),
          });
          if (res.status === 202) acknowledged.push(i);
        } catch {
          // the runtime is gone: this one was never acknowledged
        }
      }
    })();
    // Half the stream is handled as it comes; for the other half the agent is stopped, so those
    // messages exist only in its mailbox when the process dies.
    while (acknowledged.length < 30) await new Promise((r) => setTimeout(r, 5));
    expect((await fetch(`${first.url}/v1/agents/echo/stop`, { method: "POST", headers: auth })).status).toBe(200);
    const stoppedAt = acknowledged.length;
    while (acknowledged.length < stoppedAt + 30) await new Promise((r) => setTimeout(r, 5));
    killGroup(first.child, "SIGKILL");
    killed = true;
    await stream;

    const second = await launch(dir);
    children.push(second.child);
    const record = (await (await fetch(`${second.url}/v1/agents/echo`, { headers: auth })).json()) as {
      state: string;
      stats: { mailbox_depth: number };
    };
    expect(record.state).toBe("stopped");
    expect(record.stats.mailbox_depth).toBeGreaterThanOrEqual(30);
    expect((await fetch(`${second.url}/v1/agents/echo/start`, { method: "POST", headers: auth })).status).toBe(200);
    const echoed = async () => {
      const res = await fetch(`${second.url}/v1/conversations/${conversation_id}`, { headers: auth });
      const body = (await res.json()) as { messages: { message: { sender: string; content: number } }[] };
      return body.messages.filter((m) => m.message.sender === "echo").map((m) => m.message.content);
    };
    let got: number[] = [];
    for (let i = 0; i < 400; i++) {
      got = await echoed();
      if (acknowledged.every((n) => got.includes(n))) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const lost = acknowledged.filter((n) => !got.includes(n));
    expect(lost).toEqual([]);
    expect(got.length).toBe(new Set(got).size);
    // In order, too: one sender, one receiver.
    expect(got).toEqual([...got].sort((a, b) => a - b));
    killGroup(second.child, "SIGTERM");
  });
});
