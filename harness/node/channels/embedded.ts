import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { LocalRuntime } from "../../../worker/local/runtime.js";
import { AgentUnreachable, openRuntimeChannel, type Channel, type Subject } from "../../core/index.js";
import { CliError, EXIT } from "../exit.js";
import { deployAgent } from "../deploy.js";

/** A hosted agent on a runtime started for the run. */
export type Embedded = { channel: Channel; subject: Subject; runtime: LocalRuntime; close(): Promise<void> };

/** A valid agent name from a file name: `Ping_Agent.v2.wasm` -> `ping_agent.v2`. */
export function agentNameOf(file: string): string {
  const stem = basename(file).replace(/\.wasm$/i, "").toLowerCase().replace(/[^a-z0-9-_.]/g, "-").replace(/^[^a-z0-9]+/, "");
  return (stem || "agent").slice(0, 63);
}

/**
 * Channel (a): starts the edge runtime in this process on workerd (in memory, a free port, a
 * random token), deploys the module and opens a runtime channel to it (through the runtime's
 * agtalk relay when it has one, else `?wait=` replies).
 */
export async function openEmbedded(options: { wasm: string; name?: string; freshIsolates?: boolean }): Promise<Embedded> {
  const { wasm } = options;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await readFile(wasm));
  } catch (error) {
    throw new CliError(`--agent: cannot read ${wasm} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const name = options.name ?? agentNameOf(wasm);
  const token = crypto.randomUUID();
  let runtime: LocalRuntime;
  try {
    // Loaded on demand: wrangler is heavy, and most commands never start a runtime.
    const { startRuntime } = await import("../../../worker/local/runtime.js");
    runtime = await startRuntime({ port: 0, token, persistTo: false, logLevel: "error", freshIsolates: options.freshIsolates ?? false });
  } catch (error) {
    throw new CliError(`could not start the embedded runtime: ${error instanceof Error ? error.message : String(error)}`, EXIT.unreachable);
  }
  try {
    // Egress to the runtime's own host only: what the agent needs to reach the harness's relay URL
    // over HTTP (transports.http.active); anything else stays closed, as the sandbox intends.
    await deployAgent({ url: runtime.url, token, name, bytes, manifest: { egress: [new URL(runtime.url).host] } });
    const channel = await openRuntimeChannel({ url: runtime.url, token, agent: name });
    const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    const digest = `sha256-${Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("")}`;
    return {
      channel,
      subject: { name, digest },
      runtime,
      async close() {
        await channel.close().catch(() => undefined);
        await runtime.stop();
      },
    };
  } catch (error) {
    await runtime.stop().catch(() => undefined);
    if (error instanceof AgentUnreachable) throw new CliError(error.message, EXIT.unreachable);
    throw error;
  }
}
