import type { Channel } from "../channel.js";
import { Inbox } from "../inbox.js";
import { postMessage } from "./post.js";

/** Options of {@link httpChannel}. */
export type HttpChannelOptions = {
  /** The agent's HTTP endpoint (for a hosted agent: `<runtime>/v1/agents/NAME/inbox`). */
  endpoint: string;
  /** The agent's address, expected as the `sender` of its replies. */
  agent: string;
  /** The harness's address (default `agtest`). */
  name?: string;
  /** Where the agent should send asynchronous replies (a loopback server, a relay inbox). */
  replyTo?: string;
  /** Share an inbox with receivers that push asynchronous replies. */
  inbox?: Inbox;
  fetch?: typeof fetch;
  /** Stops the receivers when the channel closes. */
  onClose?: () => Promise<void>;
};

/**
 * Direct HTTP to an agent: each message is POSTed as JSON; replies in the response body are
 * inbound at once, and asynchronous ones arrive through whatever pushes to `inbox` (the Node
 * loopback server, the edge relay).
 */
export function httpChannel(options: HttpChannelOptions): Channel {
  const { endpoint, agent, name = "agtest", replyTo, inbox = new Inbox(), fetch: fetcher = fetch, onClose } = options;
  return {
    kind: "http",
    name,
    ...(replyTo ? { replyTo } : {}),
    agent,
    inbox,
    http: { endpoint, ...(isUrl(replyTo) ? { replyUrl: replyTo } : {}), fetch: fetcher },
    async send(message) {
      return (await postMessage(endpoint, message, { inbox, fetch: fetcher })).delivery;
    },
    async close() {
      await onClose?.();
    },
  };
}

function isUrl(address: string | undefined): address is string {
  return address !== undefined && /^https?:\/\//.test(address);
}
