import { newMessageId } from "../../../protocol/index.js";
import type { ActResult, Backchannel } from "../backchannel.js";
import type { Channel } from "../channel.js";
import type { Inbound } from "../inbox.js";

/** The ontology of agact requests sent as messages. */
export const AGACT_ONTOLOGY = "agact";

/**
 * agact as FIPA messages, for agents that have no process to call (hosted wasm agents): a
 * `request` with ontology `agact`, protocol `fipa-request` and content
 * `{"action": "...", "params": [...]}`, sent over the test channel itself. The agent answers
 * `agree` (or at once `inform`) -> 0, `refuse` or `not-understood` -> 127, `failure` -> 1. An
 * agent that does not answer at all has no agact support: 127.
 */
export function messageBackchannel(channel: Channel, options: { timeout?: number } = {}): Backchannel {
  const { timeout = 3_000 } = options;
  return {
    kind: "message",
    async act(action, params, signal): Promise<ActResult> {
      const conversation = `c-agact-${crypto.randomUUID()}`;
      const replyWith = `r-agact-${crypto.randomUUID().slice(0, 8)}`;
      const request = {
        performative: "request",
        sender: channel.name,
        receiver: channel.agent,
        ...(channel.replyTo ? { reply_to: channel.replyTo } : {}),
        protocol: "fipa-request",
        ontology: AGACT_ONTOLOGY,
        language: "application/json",
        content: { action, params },
        conversation_id: conversation,
        reply_with: replyWith,
        // Its id makes it safe to send again when a connection breaks: the runtime drops a duplicate.
        message_id: newMessageId(),
      };
      const delivery = await channel.send(request);
      if (delivery.status === "refused")
        return { code: 1, detail: `the agent's transport refused the agact request: ${delivery.reason}` };
      const answer = await answerOf(
        channel,
        (item) => item.ok && (item.message.in_reply_to === replyWith || item.message.conversation_id === conversation),
        delivery.complete ? 0 : timeout,
        signal,
      );
      channel.inbox.ignore(conversation);
      if (answer === undefined || !answer.ok)
        return { code: 127, detail: "the agent did not answer the agact request" };
      const { performative, content } = answer.message;
      const said = `${performative}${content === undefined ? "" : ` ${JSON.stringify(content).slice(0, 200)}`}`;
      if (performative === "agree" || performative === "inform") return { code: 0 };
      if (performative === "failure") return { code: 1, detail: said };
      return { code: 127, detail: said };
    },
  };
}

/**
 * The agent's answer, waiting up to `timeout` ms; a channel that knows when the agent is quiet
 * ends the wait as soon as the agent fell quiet without answering (no answer will come).
 */
async function answerOf(
  channel: Channel,
  match: (item: Inbound) => boolean,
  timeout: number,
  signal: AbortSignal | undefined,
): Promise<Inbound | undefined> {
  if (channel.quiet === undefined || timeout === 0)
    return channel.inbox.take(match, { timeout, ...(signal ? { signal } : {}) });
  const stop = new AbortController();
  const abort = () => stop.abort();
  signal?.addEventListener("abort", abort, { once: true });
  const answer = channel.inbox.take(match, { timeout, signal: stop.signal });
  try {
    const first = await Promise.race([
      answer.then(() => "answer" as const),
      channel.quiet({ timeout, signal: stop.signal }).then((q) => q.status),
    ]);
    if (first === "quiet") {
      stop.abort();
      return (await answer) ?? (await channel.inbox.take(match, { timeout: 0 }));
    }
    return await answer;
  } finally {
    stop.abort();
    signal?.removeEventListener("abort", abort);
  }
}
