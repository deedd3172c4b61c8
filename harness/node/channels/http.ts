import { Inbox, httpChannel, inboundFromText, type Channel } from "../../core/index.js";
import { startMessageServer } from "./loopback.js";

/** Options of {@link openHttpChannel}. */
export type NodeHttpChannelOptions = {
  endpoint: string;
  agent: string;
  /** The harness's `sender` (default `agtest`). */
  self?: string;
  /** Port of the loopback server for asynchronous replies (default: a free one). */
  port?: number;
};

/**
 * Channel (b), direct HTTP: POST to the agent's endpoint, replies in response bodies, plus a
 * loopback server whose URL is the `reply_to` of every message, for agents that answer later.
 */
export async function openHttpChannel(options: NodeHttpChannelOptions): Promise<Channel> {
  const { endpoint, agent, self = "agtest", port = 0 } = options;
  const inbox = new Inbox();
  const server = await startMessageServer({
    port,
    onMessage: (text) => inbox.push(inboundFromText(text, "reply server")),
  });
  return httpChannel({ endpoint, agent, name: self, replyTo: server.url, inbox, onClose: () => server.close() });
}

/** The agent's address for an endpoint: NAME for a runtime's `/v1/agents/NAME/inbox`, else the URL. */
export function agentOfEndpoint(endpoint: string): string {
  return /\/v1\/agents\/([^/]+)\/inbox\/?$/.exec(new URL(endpoint).pathname)?.[1] ?? endpoint;
}
