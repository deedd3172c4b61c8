import * as z from "zod";
import { isAgentAddress } from "./address.js";
import { expecting, gotText } from "./describe.js";
import { findJsonProblem, type JsonValue } from "./json.js";
import { isPerformative, PERFORMATIVES } from "./performatives.js";

const ADDRESS =
  "an agent name (a-z, 0-9, '-', '_', '.', up to 63 characters, starting with a letter or digit) or an http(s) URL";
const ADDRESSES = "an agent name or http(s) URL, or an array of them";
const ROUTABLE_ADDRESSES = "an agent name or http(s) URL, or a non-empty array of them";
const DATE_TIME = 'an ISO 8601 date-time with a time zone, such as "2026-11-21T10:00:00.000Z"';

const address = z.string(expecting(ADDRESS)).refine(isAgentAddress, expecting(ADDRESS));

/** Optional text field; `null` is accepted because FIPA's own examples write `in_reply_to: null`. */
const text = () => z.string(expecting("a string or null")).nullable().optional();

const performative = z.enum(PERFORMATIVES, {
  error: (issue) =>
    `expected one of FIPA's 22 acts (${PERFORMATIVES.join(", ")}), ${gotText(issue.input)}${hint(issue.input)}`,
});

// "Request", "QUERY_IF": the right act in the wrong spelling deserves a pointer to the right one.
function hint(input: unknown): string {
  if (typeof input !== "string") return "";
  const respelled = input.trim().toLowerCase().replaceAll("_", "-");
  return respelled !== input && isPerformative(respelled) ? `; did you mean "${respelled}"?` : "";
}

const content = z
  .custom<JsonValue>()
  .superRefine((value, ctx) => {
    const problem = findJsonProblem(value);
    if (problem !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: problem.path,
        input: value,
        message: `expected a JSON value, but ${problem.reason}`,
      });
    }
  })
  .meta({
    description: "a string or any JSON value",
    type: ["string", "number", "boolean", "object", "array", "null"],
  });

// Field order is SC00061's; the first invalid field in this order is the one reported.
const fields = {
  performative,
  sender: address.nullable().optional(),
  receiver: z
    .union([address, z.array(address)], expecting(ADDRESSES))
    .nullable()
    .optional(),
  reply_to: z
    .union([address, z.array(address)], expecting(ADDRESSES))
    .nullable()
    .optional(),
  content: content.optional(),
  language: text(),
  encoding: text(),
  ontology: text(),
  protocol: text(),
  conversation_id: text(),
  reply_with: text(),
  in_reply_to: text(),
  reply_by: z.iso
    .datetime({ offset: true, ...expecting(DATE_TIME) })
    .nullable()
    .optional(),
  message_id: text(),
};

/**
 * A FIPA ACL message as JSON: SC00061's message parameters in snake_case. Only `performative` is
 * required; unknown keys (user-defined `X-` parameters, extensions) are kept as they are, except
 * `__proto__`, which is dropped.
 *
 * - `sender`: an agent name or an http(s) URL of an external agent;
 * - `receiver`, `reply_to`: an address or an array of addresses;
 * - `content`: a string or any JSON value;
 * - `reply_by`: an ISO 8601 date-time with a time zone;
 * - every other parameter: a string, or `null` for "not set".
 *
 * @see http://www.fipa.org/specs/fipa00061/SC00061G.html FIPA SC00061 (ACL Message Structure)
 */
export const AclMessageSchema = z.looseObject(fields, expecting("a JSON object (a FIPA ACL message)"));

/**
 * A message the runtime can route: an {@link AclMessageSchema} message that also names its
 * `sender` and at least one `receiver`.
 */
export const RoutableMessageSchema = AclMessageSchema.extend({
  sender: address,
  receiver: z.union(
    [address, z.array(address).min(1, expecting("at least one receiver"))],
    expecting(ROUTABLE_ADDRESSES),
  ),
});

/** A valid FIPA ACL message (see {@link AclMessageSchema}); extra keys are typed `unknown`. */
export type AclMessage = z.infer<typeof AclMessageSchema>;

/** A message with a `sender` and at least one `receiver` (see {@link RoutableMessageSchema}). */
export type RoutableMessage = z.infer<typeof RoutableMessageSchema>;

/** The names of the FIPA message parameters agtest knows, in SC00061's order. */
export const MESSAGE_FIELDS = Object.keys(fields) as readonly MessageField[];

/** One of the FIPA message parameters agtest knows, e.g. `"conversation_id"`. */
export type MessageField = keyof typeof fields;
