/**
 * The main module of every agent isolate (`glue.js` in the Worker Loader's modules, beside
 * `agent.wasm`): the `WorkerEntrypoint` the host calls over RPC. Bundled to text by
 * `harness/glue-build.ts` into `worker/sandbox/glue.gen.ts`.
 */
import wasmModule from "agent.wasm";
import { WorkerEntrypoint } from "cloudflare:workers";
import type { CallOptions, Link, SandboxOutcome } from "./contract.js";
import { createSandbox } from "./sandbox.js";

const sandbox = createSandbox(wasmModule);

export default class AgentSandbox extends WorkerEntrypoint {
  /** Instantiates the module and runs init (deploy, reload, restart). */
  boot(options: CallOptions, link: Link): Promise<SandboxOutcome> {
    return sandbox.boot(options, link);
  }

  /** Delivers one message (UTF-8 JSON text) to the agent. */
  deliver(text: string, options: CallOptions, link: Link): Promise<SandboxOutcome> {
    return sandbox.deliver(text, options, link);
  }
}
