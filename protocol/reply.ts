import type { AclMessage, MessageField } from "./message.js";
import type { Performative } from "./performatives.js";

/** Fields a reply may set or override, extra keys included; see {@link replyTo}. */
export type ReplyFields = { [K in Exclude<MessageField, "performative">]?: AclMessage[K] } & { [key: string]: unknown };

/**
 * The receivers of a message as a list of addresses, in order, without duplicates (each receiver
 * gets a message once); empty when `receiver` is missing or null.
 */
export function receiversOf(message: Pick<AclMessage, "receiver">): string[] {
  const { receiver } = message;
  if (receiver === undefined || receiver === null) return [];
  return typeof receiver === "string" ? [receiver] : [...new Set(receiver)];
}

/**
 * A fresh, globally unique `message_id` (`m-` and a random UUID), from the Web Crypto API that
 * Workers, Node and browsers all provide.
 */
export function newMessageId(): string {
  return `m-${crypto.randomUUID()}`;
}

/**
 * Builds a reply to `message` that threads the way FIPA SC00061 says it should:
 *
 * - `receiver` is the original `reply_to`, or else its `sender`;
 * - `in_reply_to` is the original `reply_with` (the expression the sender asked replies to quote);
 * - `conversation_id`, `protocol`, `ontology` and `language` are echoed;
 * - `sender` defaults to the original `receiver` when that was a single address.
 *
 * Fields missing or null in the original are left out of the reply. `fields` (content, reply_with,
 * a different sender, ...) are applied last and win. `message_id` is left for the runtime to assign.
 *
 * @see http://www.fipa.org/specs/fipa00061/SC00061G.html (reply-to, in-reply-to, conversation-id)
 */
export function replyTo(message: AclMessage, performative: Performative, fields: ReplyFields = {}): AclMessage {
  const reply: AclMessage = { performative };
  const sender = typeof message.receiver === "string" ? message.receiver : undefined;
  const echoed = {
    sender,
    receiver: message.reply_to ?? message.sender,
    conversation_id: message.conversation_id,
    in_reply_to: message.reply_with,
    protocol: message.protocol,
    ontology: message.ontology,
    language: message.language,
  };
  for (const [key, value] of Object.entries(echoed)) {
    if (value !== undefined && value !== null) reply[key] = value;
  }
  return { ...reply, ...fields, performative };
}
