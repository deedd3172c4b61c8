import { sha256Hex } from "../../../protocol/digest.js";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { DEFAULT_LIMITS, memoryPages } from "../../../worker/limits.js";
import type { LocalRuntime } from "../../../worker/local/runtime.js";
import { WasmValidationError, validateModule } from "../../../worker/wasm/index.js";
import { AgentUnreachable, openRuntimeChannel, type Channel, type Subject } from "../../core/index.js";
import { CliError, EXIT } from "../exit.js";
import { deployAgent } from "../deploy.js";

/** A hosted agent on a runtime started for the run. */
export type Embedded = {
  channel: Channel;
  subject: Subject;
  runtime: LocalRuntime;
  /** How long starting the runtime and deploying the agent took (ms), for `npm run bench`. */
  timings: { start_ms: number; deploy_ms: number };
  /** Deploys another copy of the agent (`NAME-jN`) and opens a channel to it: one per junction. */
  copy(): Promise<{ channel: Channel; close(): Promise<void> }>;
  close(): Promise<void>;
};

/** A valid agent name from a file name: `Ping_Agent.v2.wasm` -> `ping_agent.v2`. */
export function agentNameOf(file: string): string {
  const stem = basename(file)
    .replace(/\.wasm$/i, "")
    .toLowerCase()
    .replace(/[^a-z0-9-_.]/g, "-")
    .replace(/^[^a-z0-9]+/, "");
  return (stem || "agent").slice(0, 63);
}

/**
 * Channel (a): starts the edge runtime in this process on workerd (in memory, a free port, a
 * random token), deploys the module and opens a runtime channel to it (through the runtime's
 * agtalk relay when it has one, else `?wait=` replies).
 */
export async function openEmbedded(options: {
  wasm: string;
  name?: string;
  freshIsolates?: boolean;
}): Promise<Embedded> {
  const { wasm } = options;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await readFile(wasm));
  } catch (error) {
    throw new CliError(`--agent: cannot read ${wasm} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  // The runtime's own deploy checks, before it starts: a file that is no agent fails in a moment.
  try {
    validateModule(bytes, { maxMemoryPages: memoryPages(DEFAULT_LIMITS) });
  } catch (error) {
    if (!(error instanceof WasmValidationError)) throw error;
    throw new CliError(`--agent: ${wasm} is not a valid agent: ${error.message}`, EXIT.unreachable);
  }
  const name = options.name ?? agentNameOf(wasm);
  const token = crypto.randomUUID();
  let runtime: LocalRuntime;
  const t0 = performance.now();
  try {
    // Loaded on demand: wrangler is heavy, and most commands never start a runtime.
    const { startRuntime } = await import("../../../worker/local/runtime.js");
    // security (#12): the runtime refuses loopback egress unless told; the agent's egress below is
    // the runtime's own loopback host, so that host (and only it) is allowed here, explicitly.
    runtime = await startRuntime({
      port: 0,
      token,
      persistTo: false,
      logLevel: "error",
      freshIsolates: options.freshIsolates ?? false,
      privateEgress: ["127.0.0.1"],
    });
  } catch (error) {
    throw new CliError(
      `could not start the embedded runtime: ${error instanceof Error ? error.message : String(error)}`,
      EXIT.unreachable,
    );
  }
  try {
    // Egress to the runtime's own host only: what the agent needs to reach the harness's relay URL
    // over HTTP (transports.http.active); anything else stays closed, as the sandbox intends.
    const started = performance.now();
    const manifest = { egress: [new URL(runtime.url).host] };
    await deployAgent({ url: runtime.url, token, name, bytes, manifest });
    const channel = await openRuntimeChannel({ url: runtime.url, token, agent: name });
    const timings = { start_ms: started - t0, deploy_ms: performance.now() - started };
    let copies = 0;
    const copy = async () => {
      const agent = `${name.slice(0, 58)}-j${++copies}`;
      await deployAgent({ url: runtime.url, token, name: agent, bytes, manifest });
      const opened = await openRuntimeChannel({ url: runtime.url, token, agent });
      return { channel: opened, close: () => opened.close() };
    };
    const digest = `sha256-${await sha256Hex(bytes)}`;
    return {
      channel,
      subject: { name, digest },
      runtime,
      timings,
      copy,
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
