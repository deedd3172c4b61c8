import { parseMessage, replyTo, type AclMessage } from "../../../protocol/index.js";

/** A fault a fake agent can have, one behaviour each (the broken agents the suite must catch). */
export type Fault =
  | "wrong-conversation-id"
  | "no-in-reply-to"
  | "drops-protocol"
  | "understands-everything"
  | "silent"
  | "garbage"
  | "no-agact";

/** Options of {@link fakeAgent}. */
export type FakeAgentOptions = { name?: string; faults?: Fault[]; log?: string[] };

/**
 * A small, correct FIPA agent in TypeScript (plus optional faults): answers the core suite's
 * requests, says not-understood to what it does not know (never to a not-understood), and speaks
 * agact as messages (setup, teardown, send). Used behind real channels in the harness tests.
 */
export function fakeAgent(
  options: FakeAgentOptions = {},
): (message: unknown, send: (message: unknown) => void) => void {
  const { name = "agent", faults = [], log = [] } = options;
  const has = (f: Fault) => faults.includes(f);
  const answer = (
    to: AclMessage,
    performative: Parameters<typeof replyTo>[1],
    content: unknown,
    send: (m: unknown) => void,
  ) => {
    const reply: AclMessage = replyTo(to, performative, { sender: name, content: content as AclMessage["content"] });
    if (has("wrong-conversation-id")) reply.conversation_id = "c-something-else";
    if (has("no-in-reply-to")) delete reply.in_reply_to;
    if (has("drops-protocol")) delete reply.protocol;
    send(has("garbage") ? "this is not a message" : reply);
  };
  return (raw, send) => {
    const parsed = parseMessage(raw);
    if (!parsed.ok) {
      const r = raw as { sender?: unknown; reply_to?: unknown; conversation_id?: unknown; reply_with?: unknown };
      const to = r?.reply_to ?? r?.sender;
      if (typeof to === "string") {
        send({
          performative: "not-understood",
          sender: name,
          receiver: to,
          conversation_id: r.conversation_id,
          in_reply_to: r.reply_with,
          content: parsed.error.message,
        });
      }
      return;
    }
    const m = parsed.message;
    log.push(`${m.performative}${m.ontology === "agact" ? ` ${JSON.stringify(m.content)}` : ""}`);
    if (m.performative === "not-understood" || has("silent")) return;
    if (m.ontology === "agact") {
      if (has("no-agact")) return answer(m, "not-understood", "no agact here", send);
      const { action, params = [] } = m.content as { action: string; params?: string[] };
      if (action === "setup" || action === "teardown") return answer(m, "agree", null, send);
      if (action === "send") {
        answer(m, "agree", null, send);
        const [performative, receiver, content] = params;
        send({
          performative,
          sender: name,
          receiver,
          content,
          conversation_id: `c-fake-${crypto.randomUUID()}`,
          reply_with: "r-fake",
        });
        return;
      }
      return answer(m, "refuse", `unknown action ${action}`, send);
    }
    if (m.ontology !== "agtest-core" && !has("understands-everything")) {
      return answer(m, "not-understood", `unknown ontology ${String(m.ontology)}`, send);
    }
    answer(m, "inform", "done", send);
  };
}
