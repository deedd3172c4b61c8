import {
  type AclMessage,
  type RoutableMessage,
  isAgentName,
  isAgentUrl,
  parseRoutable,
  receiversOf,
} from "../../protocol/index.js";
import type { Logged, Origin } from "../conversation/index.js";
import type { Env } from "../env.js";
import { RUNTIME_LIMITS } from "../limits.js";
import { AGTALK_PREFIX, relayInboxId } from "../relay/index.js";
import type { DeliveryBudget } from "./budget.js";
import { type Answers, egressRefusal, post, privateEgressOf } from "./egress.js";
import { knownNotHosted, noteNotHosted } from "./hosted.js";
import { conversationOf, hostOf, relayOf } from "../stubs.js";
import type { Enqueued } from "../host/index.js";

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
  /** The routing work this message may still cause (the handled message's budget), shared with its bounces. */
  budget?: DeliveryBudget;
  /** What its single receiver's host already answered to it (taken in a batch: {@link enqueueAhead}). */
  taken?: Enqueued;
};

/** A hosted receiver that would not take the message: too large for it, over its rate limit, mailbox full. */
export type Refusal =
  | { receiver: string; status: 413; reason: string }
  | { receiver: string; status: 429; reason: string; retry_after_ms: number };

/**
 * What routing did: the conversation log entry, the refusals the caller must answer (`refuse`),
 * why the conversation refused the message (`full`: nothing was stored), and how many deliveries
 * a routing limit refused (the sender's budget, a receiver's rate or mailbox cap).
 */
export type Routed = Logged & { refused: Refusal[]; full: string | null; limited: number };

/** `isAgentUrl` as a plain predicate: as a type guard its false branch would narrow a string to never. */
const isUrl = (address: string): boolean => isAgentUrl(address);

type Delivered =
  | { ok: true }
  | { ok: false; performative: "failure" | "not-understood"; reason: string; refusal?: Refusal; limited?: boolean };

/**
 * Routes one message to every receiver: logs it in its conversation (checking the protocol),
 * then delivers it to hosted agents' mailboxes, relay sessions, external HTTP agents, or leaves it
 * in the log for the conversation's external client. A receiver it cannot reach gets the sender a
 * `failure` (a protocol violation a `not-understood`): never a silent drop. Each delivery takes
 * one from `ctx.budget`; what is over it is refused and counted in `limited`.
 */
export async function route(
  env: Env,
  message: RoutableMessage,
  ctx: RouteContext,
  preLogged?: Logged,
): Promise<Routed> {
  const conversationId = String(message.conversation_id);
  const conversation = conversationOf(env, conversationId);
  const logged = preLogged ?? (await conversation.log(message, ctx.origin));
  if (logged.full !== null) return { ...logged, refused: [], limited: 1 };
  const refused: Refusal[] = [];
  let limited = 0;
  const receivers = receiversOf(message);
  for (const receiver of receivers) {
    if (ctx.budget && !ctx.budget.take()) {
      limited++;
      continue;
    }
    const delivered = await deliver(env, receiver, message, logged, ctx);
    if (delivered.ok) continue;
    if (delivered.limited) limited++;
    if (delivered.refusal && ctx.refuse) {
      refused.push(delivered.refusal);
      continue;
    }
    // A bounce that cannot be delivered is only logged: no failure about a failure.
    if (ctx.origin !== "runtime") {
      const routed = await route(env, bounce(message, receiver, delivered.performative, delivered.reason), {
        origin: "runtime",
        hops: ctx.hops + 1,
        egress: [],
        ...(ctx.budget ? { budget: ctx.budget } : {}),
      });
      limited += routed.limited;
    }
  }
  // Refused means not stored: a message no receiver took (the HTTP client got 413/429) leaves no trace.
  if (ctx.refuse && !logged.duplicate && receivers.length > 0 && refused.length === receivers.length) {
    await conversation.unlog(String(message.message_id));
  }
  return { ...logged, refused, limited };
}

/**
 * Logs messages ahead of their routing (then given to {@link route} as `preLogged`): each
 * conversation's in their order, different conversations' at once, so a batch of k messages
 * costs the log calls of its longest conversation in time, not k round trips one after another.
 */
export async function logAll(env: Env, items: { message: RoutableMessage; origin: Origin }[]): Promise<Logged[]> {
  const out: Logged[] = new Array(items.length);
  const byConversation = new Map<string, number[]>();
  items.forEach((item, i) => {
    const id = String(item.message.conversation_id);
    byConversation.set(id, [...(byConversation.get(id) ?? []), i]);
  });
  await Promise.all(
    [...byConversation].map(async ([id, indexes]) => {
      const conversation = conversationOf(env, id);
      for (const i of indexes) {
        const item = items[i] as (typeof items)[number];
        out[i] = await conversation.log(item.message, item.origin);
      }
    }),
  );
  return out;
}

/** A message to enqueue ahead of its routing, if `ahead` (its caller knows its delivery budget holds it). */
export type AheadItem = { message: RoutableMessage; logged: Logged; hops: number; ahead: boolean };

/**
 * Batching per Durable Object call: the messages of a batch that go to one hosted agent name
 * alone are written to each receiver's mailbox in one call per receiver (receivers at once),
 * in their order; {@link route} then takes each one's answer as `ctx.taken`. A receiver that a
 * message not taken ahead also addresses gets no later message ahead, so order per
 * sender→receiver pair holds. Returns each item's answer, undefined where it was not taken.
 */
export async function enqueueAhead(env: Env, items: AheadItem[]): Promise<(Enqueued | undefined)[]> {
  const out: (Enqueued | undefined)[] = new Array(items.length).fill(undefined);
  const byReceiver = new Map<string, number[]>();
  const blocked = new Set<string>();
  items.forEach((item, i) => {
    const receivers = receiversOf(item.message);
    const [receiver] = receivers;
    const eligible =
      item.ahead &&
      receivers.length === 1 &&
      receiver !== undefined &&
      isAgentName(receiver) &&
      !receiver.startsWith(AGTALK_PREFIX) &&
      item.hops < MAX_HOPS &&
      item.logged.full === null &&
      !(item.logged.externals.includes(receiver) && knownNotHosted(receiver)) &&
      !blocked.has(receiver);
    if (!eligible || receiver === undefined) {
      for (const r of receivers) blocked.add(r);
      return;
    }
    byReceiver.set(receiver, [...(byReceiver.get(receiver) ?? []), i]);
  });
  await Promise.all(
    [...byReceiver].map(async ([receiver, indexes]) => {
      const taken = await hostOf(env, receiver).enqueueMany(
        indexes.map((i) => {
          const item = items[i] as AheadItem;
          return { message: { ...item.message, receiver }, hops: item.hops, violation: item.logged.violation !== null };
        }),
      );
      indexes.forEach((i, k) => {
        out[i] = taken[k];
      });
    }),
  );
  return out;
}

async function deliver(
  env: Env,
  receiver: string,
  message: RoutableMessage,
  logged: Logged,
  ctx: RouteContext,
): Promise<Delivered> {
  const external = logged.externals.includes(receiver);
  if (ctx.hops >= MAX_HOPS) return { ok: false, performative: "failure", reason: hopLimit };
  if (isUrl(receiver)) {
    // The runtime's own messages (bounces, not-understood) never go to URLs: a URL in a message is
    // a claim, and POSTing there would reflect traffic at whoever it names. The external party
    // reads them from the log (the HTTP response of `?wait=`).
    if (ctx.origin === "runtime") return { ok: true };
    // This runtime's own relay inbox is the session's address written as a URL: delivered
    // in-process like its `agtalk-` name (a Worker cannot reliably fetch its own zone).
    const session = relayInboxId(receiver);
    if (session !== undefined && (await relayOf(env, session).pushAt(receiver, message, ctx.hops))) return { ok: true };
    const refusal = egressRefusal(
      receiver,
      ctx.egress,
      privateEgressOf(env.AGTEST_PRIVATE_EGRESS),
      String(message.sender),
    );
    if (refusal) {
      // Naming a URL as sender or reply_to makes it a party, never a destination the agent may
      // reach: replies to it stay in the log for `?wait=` unless the agent's own allowlist has it.
      if (external) return { ok: true };
      return { ok: false, performative: "failure", reason: refusal };
    }
    const sent = await post(receiver, message, ctx.hops);
    if (!sent.ok) return { ok: false, performative: "failure", reason: sent.reason };
    await acceptAnswers(env, receiver, message, sent, ctx);
    return { ok: true };
  }
  if (receiver.startsWith(AGTALK_PREFIX)) {
    const pushed = await relayOf(env, receiver.slice(AGTALK_PREFIX.length)).push(message, ctx.hops);
    return pushed ? { ok: true } : { ok: false, performative: "failure", reason: `no agtalk session \`${receiver}\`` };
  }
  // An external party already known not to be hosted reads it from the log: no call to learn it again.
  if (external && knownNotHosted(receiver)) return { ok: true };
  // Hosted agents first: an external client cannot shadow a hosted agent's name.
  const violation = ctx.origin === "runtime" ? null : logged.violation;
  const taken =
    ctx.taken ?? (await hostOf(env, receiver).enqueue({ ...message, receiver }, ctx.hops, violation !== null));
  switch (taken.status) {
    case "queued":
      return { ok: true };
    case "refused":
      return { ok: false, performative: "not-understood", reason: `protocol violation: ${String(violation)}` };
    case "hop-limit":
      return { ok: false, performative: "failure", reason: hopLimit };
    case "too-large": {
      const reason = `message of ${taken.bytes} bytes exceeds \`${receiver}\`'s limit of ${taken.limit} bytes`;
      return { ok: false, performative: "failure", reason, refusal: { receiver, status: 413, reason } };
    }
    case "rate-limited": {
      const reason = `rate limited: \`${receiver}\` takes at most ${taken.rate_per_sec} messages/s; retry in ${taken.retry_after_ms} ms`;
      return {
        ok: false,
        performative: "failure",
        reason,
        limited: true,
        refusal: { receiver, status: 429, reason, retry_after_ms: taken.retry_after_ms },
      };
    }
    case "full": {
      const reason = `mailbox full: \`${receiver}\` holds ${taken.depth} waiting messages, its maximum; retry later`;
      return {
        ok: false,
        performative: "failure",
        reason,
        limited: true,
        refusal: { receiver, status: 429, reason, retry_after_ms: 1000 },
      };
    }
    case "absent":
      noteNotHosted(receiver);
      break;
  }
  // Not hosted: an external party of the conversation reads it from the log (?wait=, transcript).
  if (external) return { ok: true };
  return { ok: false, performative: "failure", reason: `unknown receiver \`${receiver}\`` };
}

const hopLimit = `hop limit (${MAX_HOPS}) reached: a message loop?`;

/**
 * What a synchronous HTTP agent answered in its response body: untrusted input. An answer is
 * routed only if it is a routable message in the same conversation, addressed to the agent that
 * POSTed alone; it is marked as from the URL (never the runtime, never another agent) and carries
 * the hop count on. Anything else is dropped and noted in the conversation's `refused` list.
 */
async function acceptAnswers(
  env: Env,
  url: string,
  sent: RoutableMessage,
  answers: Answers & { ok: true },
  ctx: RouteContext,
): Promise<void> {
  const conversationId = String(sent.conversation_id);
  const refuse = (reason: string, answer: unknown) => conversationOf(env, conversationId).noteRefused(reason, answer);
  if (answers.refused) await refuse(answers.refused, null);
  const taken = answers.answers.slice(0, RUNTIME_LIMITS.egress_answers);
  if (answers.answers.length > taken.length) {
    await refuse(
      `${url} answered ${answers.answers.length} messages; only the first ${RUNTIME_LIMITS.egress_answers} are read`,
      null,
    );
  }
  for (const [i, answer] of taken.entries()) {
    const parsed = parseRoutable(answer);
    if (!parsed.ok) {
      await refuse(`an answer of ${url} is not a routable message: ${parsed.error.message}`, answer);
      continue;
    }
    const { x_agtest_origin: forged, ...fields } = parsed.message;
    if (forged !== undefined) {
      await refuse(`an answer of ${url} carries x_agtest_origin: only the runtime may mark its messages`, answer);
      continue;
    }
    if (fields.conversation_id !== sent.conversation_id) {
      await refuse(`an answer of ${url} is in another conversation (\`${String(fields.conversation_id)}\`)`, answer);
      continue;
    }
    const receivers = receiversOf(fields);
    if (receivers.length !== 1 || receivers[0] !== sent.sender) {
      await refuse(
        `an answer of ${url} is addressed to ${JSON.stringify(receivers)}, not to \`${String(sent.sender)}\` alone, which sent to it`,
        answer,
      );
      continue;
    }
    const message: RoutableMessage = {
      ...fields,
      sender: url,
      message_id: fields.message_id ?? `${String(sent.message_id)}/answer/${i}`,
    };
    await route(env, message, {
      origin: "external",
      hops: ctx.hops + 1,
      egress: [],
      ...(ctx.budget ? { budget: ctx.budget } : {}),
    });
  }
}

/** The runtime's answer to a message it could not deliver, threaded like a reply. */
export function bounce(
  message: AclMessage,
  receiver: string,
  performative: "failure" | "not-understood",
  reason: string,
): RoutableMessage {
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
