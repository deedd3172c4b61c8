import { newMessageId } from "../../protocol/index.js";
import type { Channel } from "./channel.js";
import { AgentUnreachable } from "./errors.js";

/** How long the preflight waits for the endpoint to take one message, at least. */
export const PREFLIGHT_MS = 5_000;

/**
 * Before a suite runs against an HTTP endpoint: one harmless message (an `inform` of ontology
 * `agtest-preflight`, whose answer, if any, is ignored). An endpoint that answers 404, 405 or a
 * 5xx, or does not answer within `timeout` ms, is not an agent that failed tests: the run stops
 * with {@link AgentUnreachable} naming what was tried, instead of every test timing out as
 * divergent. Any other answer (2xx, or a 4xx the agent chose) means something is listening.
 */
export async function preflight(channel: Channel, timeout = PREFLIGHT_MS): Promise<void> {
  const endpoint = channel.http?.endpoint ?? channel.agent;
  const conversation = `c-agtest-preflight-${crypto.randomUUID()}`;
  channel.inbox.ignore(conversation);
  const message = {
    performative: "inform",
    sender: channel.name,
    receiver: channel.agent,
    ontology: "agtest-preflight",
    content: "agtest checks that this endpoint takes messages before it runs a suite",
    conversation_id: conversation,
    message_id: newMessageId(),
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), timeout);
  });
  try {
    const delivery = await Promise.race([channel.send(message), late]);
    if (delivery === "late") {
      throw new AgentUnreachable(
        `POST ${endpoint} did not answer within ${timeout} ms (a preflight inform before the suite); is the agent listening there?`,
      );
    }
    const status = delivery.status === "refused" ? delivery.httpStatus : undefined;
    if (status !== undefined && (status === 404 || status === 405 || status >= 500)) {
      throw new AgentUnreachable(
        `POST ${endpoint} answered ${delivery.status === "refused" ? delivery.reason : status} to a preflight inform before the suite; is this the agent's endpoint?`,
      );
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
