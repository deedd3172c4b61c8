import { AGACT_ONTOLOGY } from "../../harness/core/index.js";
import type { LoggedMessage } from "../conversation/index.js";
import { ScrollBox } from "./layout.js";
import { SequenceDiagram } from "./sequence.js";

/** One conversation as the agent page gets it. */
export type ConversationView = { id: string; messages: LoggedMessage[] };

/** How many conversations the agent page draws as diagrams. */
const DRAWN = 5;

/**
 * Whether a conversation is the harness driving the agent through its message backchannel: agact
 * requests carry the `agact` ontology (harness/core/backchannels/message.ts, HIPE 0015's
 * backchannel as FIPA messages). The agent's answer may omit the ontology, so one message is enough.
 */
export function isBackchannel(conversation: ConversationView): boolean {
  return conversation.messages.some((m) => m.message.ontology === AGACT_ONTOLOGY);
}

/**
 * The agent's conversations, apart from the harness's backchannel traffic: the real ones drawn as
 * sequence diagrams, the agact requests in a short table under a disclosure (they say what the
 * harness asked, not how the agent talks).
 */
export function ConversationSections(props: { conversations: ConversationView[] }) {
  const real = props.conversations.filter((c) => !isBackchannel(c));
  const backchannel = props.conversations.filter(isBackchannel);
  return (
    <>
      <section aria-labelledby="conversations" data-section="conversations">
        <h2 id="conversations">Last conversations</h2>
        {real.length === 0 ? (
          <p class="muted">None yet (apart from the harness's backchannel requests below).</p>
        ) : (
          <div class="diagrams">
            {real.slice(0, DRAWN).map((c) => (
              <SequenceDiagram id={c.id} messages={c.messages} />
            ))}
          </div>
        )}
      </section>
      <section aria-labelledby="backchannel" data-section="backchannel">
        <h2 id="backchannel">Harness backchannel</h2>
        {backchannel.length === 0 ? (
          <p class="muted">No agact requests among the recent conversations.</p>
        ) : (
          <details>
            <summary>{`${backchannel.length} agact request${backchannel.length === 1 ? "" : "s"} (ontology ${AGACT_ONTOLOGY}): the harness asking the agent to act, not the agent's own conversations`}</summary>
            <ScrollBox label="agact-caption">
              <table id="agact">
                <caption id="agact-caption" class="vh">
                  agact requests
                </caption>
                <thead>
                  <tr>
                    <th scope="col">At</th>
                    <th scope="col">Asked</th>
                    <th scope="col">Answer</th>
                  </tr>
                </thead>
                <tbody>
                  {backchannel.map((c) => (
                    <AgactRow conversation={c} />
                  ))}
                </tbody>
              </table>
            </ScrollBox>
          </details>
        )}
      </section>
    </>
  );
}

function AgactRow(props: { conversation: ConversationView }) {
  const [request, ...replies] = props.conversation.messages;
  const content = request?.message.content as { action?: unknown; params?: unknown } | undefined;
  const asked =
    typeof content?.action === "string"
      ? [content.action, ...(Array.isArray(content.params) ? content.params.map(String) : [])].join(" ")
      : JSON.stringify(content ?? null);
  return (
    <tr data-conversation={props.conversation.id}>
      <td>{request ? request.at.slice(11, 19) : ""}</td>
      <td>
        <code>{asked.length > 120 ? `${asked.slice(0, 117)}…` : asked}</code>
      </td>
      <td>
        {replies.length === 0 ? (
          <span class="muted">no answer</span>
        ) : (
          replies.map((r) => String(r.message.performative)).join(", ")
        )}
      </td>
    </tr>
  );
}
