import type { Channel } from "../channel.js";
import { AgentUnreachable } from "../errors.js";
import { Inbox } from "../inbox.js";
import { httpChannel } from "./http.js";
import { openRelaySession, type RelayChannelOptions } from "./relay.js";

/**
 * Channel (d): POST to the agent's endpoint, receive through an edge relay session. The harness
 * needs no inbound connection, so it works from CI. An agent hosted on the relay's own runtime
 * is given the session's address; any other agent gets the public inbox URL to reply to.
 */
export async function openRelayChannel(options: RelayChannelOptions): Promise<Channel> {
  const { relay, token, endpoint, agent, fetch: fetcher = fetch } = options;
  const inbox = new Inbox();
  const session = await openRelaySession({ url: relay, token, inbox, fetch: fetcher });
  if (session === undefined)
    throw new AgentUnreachable(`${relay} has no agtalk relay (POST /v1/agtalk/sessions answered 404)`);
  const sameRuntime = new URL(endpoint).origin === new URL(relay).origin;
  const channel = httpChannel({
    endpoint,
    agent,
    name: sameRuntime ? session.name : session.inbox_url,
    inbox,
    fetch: fetcher,
    onClose: () => session.close(),
  });
  return { ...channel, kind: "relay", http: { endpoint, replyUrl: session.inbox_url, fetch: fetcher } };
}
