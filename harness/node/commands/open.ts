import {
  AgentUnreachable,
  httpBackchannel,
  messageBackchannel,
  noBackchannel,
  openRelayChannel,
  PREFLIGHT_MS,
  preflight,
  type Backchannel,
  type Channel,
  type Subject,
} from "../../core/index.js";
import { commandBackchannel } from "../backchannels/command.js";
import { openEmbedded } from "../channels/embedded.js";
import { openFolderChannel } from "../channels/folder.js";
import { agentOfEndpoint, openHttpChannel } from "../channels/http.js";
import type { RunConfig } from "../config.js";
import { CliError, EXIT } from "../exit.js";

/**
 * An open channel with who is behind it and how to let go of both; `copy`, when the agent can be
 * deployed again (a hosted one), gives each junction a copy of its own.
 */
export type Target = {
  channel: Channel;
  subject: Subject;
  copy?: () => Promise<{ channel: Channel; close(): Promise<void> }>;
  close(): Promise<void>;
};

/** Opens the channel the config names (one target, checked by `resolveRunConfig`). */
export async function openTarget(config: RunConfig): Promise<Target> {
  try {
    if (config.agent) {
      const embedded = await openEmbedded({
        wasm: config.agent,
        ...(config.name ? { name: config.name } : {}),
        freshIsolates: config["fresh-isolates"] === true,
      });
      return {
        channel: embedded.channel,
        subject: embedded.subject,
        copy: embedded.copy,
        close: () => embedded.close(),
      };
    }
    let channel: Channel;
    if (config.relay && config.endpoint) {
      const token = config["relay-token"] ?? process.env.AGTEST_TOKEN;
      if (!token) throw new CliError("--relay-token: the relay needs its bearer token (or set AGTEST_TOKEN)");
      channel = await openRelayChannel({
        relay: config.relay,
        token,
        endpoint: config.endpoint,
        agent: config.name ?? agentOfEndpoint(config.endpoint),
      });
    } else if (config.endpoint) {
      channel = await openHttpChannel({
        endpoint: config.endpoint,
        agent: config.name ?? agentOfEndpoint(config.endpoint),
        ...(config.self ? { self: config.self } : {}),
      });
    } else if (config.outbox && config.inbox && config.name) {
      channel = await openFolderChannel({
        outbox: config.outbox,
        inbox: config.inbox,
        agent: config.name,
        ...(config.self ? { self: config.self } : {}),
      });
    } else {
      throw new CliError("run: no agent to test");
    }
    // An HTTP endpoint is tried once before the suite: a wrong URL is exit 3, not 14 timed-out tests.
    if (config.endpoint) {
      try {
        await preflight(channel, Math.max(PREFLIGHT_MS, config.timeout ?? 0));
      } catch (error) {
        await channel.close().catch(() => undefined);
        throw error;
      }
    }
    return { channel, subject: { name: channel.agent }, close: () => channel.close() };
  } catch (error) {
    if (error instanceof AgentUnreachable)
      throw new CliError(`the agent is unreachable: ${error.message}`, EXIT.unreachable);
    throw error;
  }
}

/**
 * The backchannel the config names; by default agact messages for a hosted (embedded) agent,
 * which has no process to call, and none otherwise.
 */
export function openBackchannel(config: RunConfig, channel: Channel): Backchannel {
  if (config.agact) return commandBackchannel(config.agact);
  if (config.backchannel === "none") return noBackchannel;
  if (config.backchannel === "message") return messageBackchannel(channel);
  if (config.backchannel) return httpBackchannel(config.backchannel);
  return config.agent ? messageBackchannel(channel) : noBackchannel;
}
