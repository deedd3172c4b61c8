import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../worker/env.js";
import { MAX_ATTEMPTS } from "../../worker/host/index.js";
import { DEFAULT_LIMITS } from "../../worker/limits.js";
import { isolateCode } from "../../worker/sandbox/index.js";
import { api, deploy, request, send, uniqueName } from "./api.js";

/** An agent isolate that is lost on every delivery: its RPC rejects, as an evicted or restarting isolate's does. */
const LOST = `import { WorkerEntrypoint } from "cloudflare:workers";
export default class extends WorkerEntrypoint {
  async boot() { throw new Error("isolate lost (test)"); }
  async deliver() { throw new Error("isolate lost (test)"); }
}`;

/** A real loader that hands out the lost isolate instead of the agent's, counting each attempt. */
function lostLoader(): { loader: WorkerLoader; attempts: () => number } {
  let attempts = 0;
  const code = () => isolateCode(DEFAULT_LIMITS, "lost.js", { "lost.js": LOST });
  return {
    loader: {
      get: (id) => {
        attempts++;
        return env.LOADER.get(`lost-${id}`, code);
      },
      load: () => {
        attempts++;
        return env.LOADER.load(code());
      },
    },
    attempts: () => attempts,
  };
}

describe("retry, then dead letter", () => {
  it(`a message the isolate cannot take is retried with backoff, dead-lettered after ${MAX_ATTEMPTS} attempts, and the sender told`, async () => {
    expect(MAX_ATTEMPTS).toBe(6);
    const name = uniqueName("lost");
    expect((await deploy(name, env.FIXTURE_ECHO)).status).toBe(201);
    const host = env.AGENT_HOST.get(env.AGENT_HOST.idFromName(name));
    const lost = lostLoader();
    // The running agent's host now reaches only the lost isolate.
    await runInDurableObject(host, (instance) => {
      const self = instance as unknown as { env: Env };
      self.env = { ...self.env, LOADER: lost.loader };
    });
    const msg = request(name, "never taken");
    expect((await send(msg, null)).status).toBe(202);

    const mailbox = () =>
      runInDurableObject(host, (_instance, state) =>
        state.storage.sql.exec<{ attempts: number }>("SELECT attempts FROM mailbox").toArray(),
      );
    // Each retry is due at once and its alarm run now (the backoff is the host's; the test does not wait it out).
    for (let round = 0; round < MAX_ATTEMPTS * 2 && lost.attempts() < MAX_ATTEMPTS; round++) {
      const queued = await mailbox();
      if (queued.length === 0 || queued[0]!.attempts < lost.attempts()) {
        // The first attempt (on enqueue) or a retry is still in flight: let it land, then look again.
        await runDurableObjectAlarm(host);
        continue;
      }
      expect(queued).toEqual([{ attempts: lost.attempts() }]);
      await runInDurableObject(host, (_instance, state) => state.storage.sql.exec("UPDATE mailbox SET next_at = 0"));
      await runDurableObjectAlarm(host);
    }

    expect(lost.attempts()).toBe(MAX_ATTEMPTS);
    expect(await mailbox()).toEqual([]);
    const dead = (await (await api(`/v1/agents/${name}/dead-letters`)).json()) as {
      dead_letters: { message_id: string; reason: string }[];
    };
    expect(dead.dead_letters).toEqual([
      expect.objectContaining({
        message_id: expect.any(String),
        reason: `not delivered after ${MAX_ATTEMPTS} attempts: isolate lost (test)`,
      }),
    ]);
    // The sender hears why, in the conversation, from the agent (written by the runtime), once the
    // host's outbox routed the answer.
    const transcript = async () =>
      (await (await api(`/v1/conversations/${msg.conversation_id}`)).json()) as {
        messages: { origin: string; message: { performative: string; sender: string; content: string } }[];
      };
    await expect
      .poll(async () => (await transcript()).messages.map((m) => [m.origin, m.message.performative, m.message.sender]))
      .toEqual([
        ["external", "request", "harness"],
        ["runtime", "failure", name],
      ]);
    expect((await transcript()).messages[1]?.message.content).toContain(`agent \`${name}\` could not take the message`);
    // No further attempt is made for it: the host's alarm (the outbox's safety net) finds nothing to deliver.
    await runDurableObjectAlarm(host);
    expect(await runDurableObjectAlarm(host)).toBe(false);
    expect(lost.attempts()).toBe(MAX_ATTEMPTS);
  });
});
