import { sha256Hex } from "../../protocol/digest.js";
import { readFile } from "node:fs/promises";
import * as core from "@actions/core";
import { openRuntimeChannel } from "../../harness/core/index.js";
import { agentNameOf } from "../../harness/node/channels/embedded.js";
import type { Target } from "../../harness/node/commands/open.js";
import { deployAgent } from "../../harness/node/deploy.js";
import type { Edge } from "./edge.js";
import { ActionError, messageOf } from "./errors.js";

/**
 * `run-on: edge`: deploys the agent's module to the edge runtime under a name of its own for this
 * run (`ping-ci-RUNID-ATTEMPT`, so parallel runs and the agents already hosted there are left
 * alone), tests it there through the runtime's API, and deletes it afterwards. Needs no runtime on
 * the runner. The profile's subject is the module's own name, as on the embedded runtime.
 */
export async function openEdgeTarget(edge: Edge, wasm: string, run: { id: number; attempt: number }): Promise<Target> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await readFile(wasm));
  } catch (error) {
    throw new ActionError(`input \`agent\`: cannot read ${wasm} (${messageOf(error)})`);
  }
  const subject = agentNameOf(wasm);
  const name = `${subject.slice(0, 40)}-ci-${run.id}-${run.attempt}`.slice(0, 63);
  await deployAgent({ url: edge.url, token: edge.token, name, bytes });
  core.info(`agtest: deployed ${wasm} to ${edge.url} as ${name}`);
  const remove = () =>
    fetch(`${edge.url}/v1/agents/${encodeURIComponent(name)}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${edge.token}` },
    }).then(
      (res) => void (res.ok || core.warning(`agtest: could not delete ${name} from ${edge.url} (${res.status})`)),
      (error: unknown) => core.warning(`agtest: could not delete ${name} from ${edge.url} (${messageOf(error)})`),
    );
  try {
    const channel = await openRuntimeChannel({ url: edge.url, token: edge.token, agent: name });
    const digest = `sha256-${await sha256Hex(bytes)}`;
    return {
      channel,
      subject: { name: subject, digest },
      async close() {
        await channel.close().catch(() => undefined);
        await remove();
      },
    };
  } catch (error) {
    await remove();
    throw error;
  }
}
