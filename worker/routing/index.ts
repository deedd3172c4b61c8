import { type AclMessage, type RoutableMessage, isAgentName, isAgentUrl, parseRoutable, receiversOf } from "../../protocol/index.js";
import { type Logged, type Origin, conversationOf } from "../conversation/index.js";
import type { Env } from "../env.js";
import { AGTALK_PREFIX, relayOf } from "../relay/index.js";
import { hostOf } from "../hosts.js";
import { egressAllowed, post } from "./egress.js";

/** Messages that travel further than this many hops from their origin are not delivered (loops). */
export const MAX_HOPS = 32;

/** Where a routed message comes from. */
export type RouteContext = {
  origin: Origin;
  /** Hops so far: 0 from outside, +1 for each agent that handled the message that caused it. */
  hops: number;
  /** The sending agent's egress allowlist (hosts it may reach over HTTP). */
  egress: readonly string[];
  /**
   * The caller answers a receiver's refusal itself (an HTTP client gets `413`/`429`) instead of
   * the sender getting a `failure` message; the refusals are returned.
   */
  refuse?: boolean;
};

/** A hosted receiver that would not take the message: too large for it, or over its rate limit. */
export type Refusal =
  | { receiver: string; status: 413; reason: string }
  | { receiver: string; status: 429; reason: string; retry_after_ms: number };

/** What routing did: the conversation log entry, and the refusals the caller must answer (`refuse`). */
export type Routed = Logged & { refused: Refusal[] };

/** `isAgentUrl` as a plain predicate: as a type guard its false branch would narrow a string to never. */
const isUrl = (address: string): boolean => isAgentUrl(address);

type Delivered = { ok: true } | { ok: false; performative: "failure" | "not-understood"; reason: string; refusal?: Refusal };

/**
 * Routes one message to every receiver: logs it in its conversation (checking the protocol),
 * then delivers it to hosted agents' mailboxes, relay sessions, external HTTP agents, or leaves it
 * in the log for the conversation's external client. A receiver it cannot reach gets the sender a
 * `failure` (a protocol violation a `not-understood`): never a silent drop.
 */
export async function route(env: Env, message: RoutableMessage, ctx: RouteContext): Promise<Routed> {
  const conversationId = String(message.conversation_id);
  const logged = await conversationOf(env, conversationId).log(conversationId, message, ctx.origin);
  const refused: Refusal[] = [];
  for (const receiver of receiversOf(message)) {
    const delivered = await deliver(env, receiver, message, logged, ctx);
    if (delivered.ok) continue;
    if (delivered.refusal && ctx.refuse) {
      refused.push(delivered.refusal);
      continue;
    }
    // A bounce that cannot be delivered is only logged: no failure about a failure.
    if (ctx.origin !== "runtime") {
      await route(env, bounce(message, receiver, delivered.performative, delivered.reason), { origin: "runtime", hops: ctx.hops + 1, egress: [] });
    }
  }
  return { ...logged, refused };
}

async function deliver(env: Env, receiver: string, message: RoutableMessage, logged: Logged, ctx: RouteContext): Promise<Delivered> {
  const external = logged.externals.includes(receiver);
  if (isUrl(receiver)) {
    if (!external && !egressAllowed(receiver, ctx.egress)) {
      return { ok: false, performative: "failure", reason: `egress to ${new URL(receiver).host} is not on ${message.sender}'s allowlist` };
    }
    const sent = await post(receiver, message);
    if (!sent.ok) return { ok: false, performative: "failure", reason: sent.reason };
    await Promise.all(sent.answers.map((answer) => routeAnswer(env, answer)));
    return { ok: true };
  }
  if (receiver.startsWith(AGTALK_PREFIX)) {
    const pushed = await relayOf(env, receiver.slice(AGTALK_PREFIX.length)).push(message);
    return pushed ? { ok: true } : { ok: false, performative: "failure", reason: `no agtalk session \`${receiver}\`` };
  }
  // Hosted agents first: an external client cannot shadow a hosted agent's name.
  const violation = ctx.origin === "runtime" ? null : logged.violation;
  const taken = await hostOf(env, receiver).enqueue({ ...message, receiver }, ctx.hops, violation !== null);
  switch (taken.status) {
    case "queued":
      return { ok: true };
    case "refused":
      return { ok: false, performative: "not-understood", reason: `protocol violation: ${String(violation)}` };
    case "hop-limit":
      return { ok: false, performative: "failure", reason: `hop limit (${MAX_HOPS}) reached: a message loop?` };
    case "too-large": {
      const reason = `message of ${taken.bytes} bytes exceeds \`${receiver}\`'s limit of ${taken.limit} bytes`;
      return { ok: false, performative: "failure", reason, refusal: { receiver, status: 413, reason } };
    }
    case "rate-limited": {
      const reason = `rate limited: \`${receiver}\` takes at most ${taken.rate_per_sec} messages/s; retry in ${taken.retry_after_ms} ms`;
      return { ok: false, performative: "failure", reason, refusal: { receiver, status: 429, reason, retry_after_ms: taken.retry_after_ms } };
    }
    case "absent":
      break;
  }
  // Not hosted: an external party of the conversation reads it from the log (?wait=, transcript).
  if (external) return { ok: true };
  return { ok: false, performative: "failure", reason: `unknown receiver \`${receiver}\`` };
}

/** A synchronous HTTP agent's answer, routed as a message from outside. */
async function routeAnswer(env: Env, answer: unknown): Promise<void> {
  const parsed = parseRoutable(answer);
  if (!parsed.ok || !parsed.message.conversation_id || !parsed.message.message_id) return;
  await route(env, parsed.message, { origin: "external", hops: 0, egress: [] });
}

/** The runtime's answer to a message it could not deliver, threaded like a reply. */
export function bounce(message: AclMessage, receiver: string, performative: "failure" | "not-understood", reason: string): RoutableMessage {
  const reply: RoutableMessage = {
    performative,
    sender: isAgentName(receiver) || isAgentUrl(receiver) ? receiver : "runtime",
    receiver: (message.reply_to ?? message.sender) as string | string[],
    content: reason,
    conversation_id: message.conversation_id,
    message_id: `${String(message.message_id)}/bounce/${receiver}`,
    x_agtest_origin: "runtime",
  };
  if (message.reply_with != null) reply.in_reply_to = message.reply_with;
  if (message.protocol != null) reply.protocol = message.protocol;
  return reply;
}
