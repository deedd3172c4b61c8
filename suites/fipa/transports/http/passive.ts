import { receiversOf, replyOf, test, type AclMessage, type TestContext } from "../../../../harness/core/index.js";
import { request, tag } from "../../vocabulary.js";

/** The agent's endpoint and a URL the harness receives at, or a skip saying which is missing. */
export function urls(t: TestContext): { endpoint: string; replyUrl: string } {
  const { endpoint, replyUrl } = t.http;
  if (endpoint === undefined)
    t.skip("this channel does not know the agent's HTTP endpoint (with agtalk folders, only the adapter does)");
  if (replyUrl === undefined)
    t.skip("this channel has no URL the agent can reach the harness at (no loopback server or relay inbox)");
  return { endpoint: endpoint as string, replyUrl: replyUrl as string };
}

/** POSTs `message` to the agent's endpoint; fails unless the status is 2xx. */
async function post(t: TestContext, endpoint: string, message: AclMessage): Promise<void> {
  const { status, delivery } = await t.post(endpoint, message);
  t.assert(status >= 200 && status < 300, `POST ${endpoint} answered HTTP ${status}`, {
    expected: "HTTP 2xx",
    received: delivery.status === "refused" ? delivery.reason : status,
  });
}

/**
 * `transports.http.passive`: the agent's HTTP transport, POSTed to directly (its own server, or
 * for a hosted agent the runtime's public inbox `/v1/agents/NAME/inbox`, which then stands for
 * it): JSON in, answers to URLs out, in the response body or POSTed to the address.
 */
export const httpPassive = [
  test("answers-a-post", {
    essential: true,
    description:
      "a request POSTed as JSON to its endpoint by a sender that is a URL is accepted (2xx) and answered to that URL",
  }, async (t) => {
    const { endpoint, replyUrl } = urls(t);
    const message = { ...t.message(request({ do: "echo", text: tag("echo") })), sender: replyUrl };
    delete message.reply_to;
    await post(t, endpoint, message);
    const answer = await t.expect(replyOf(message));
    t.assert(receiversOf(answer).includes(replyUrl), "the answer is not addressed to the sender's URL", {
      expected: { receiver: replyUrl },
      received: answer,
    });
  }),
  test("answers-at-reply-to-url", {
    essential: true,
    description: "a request POSTed with a reply_to URL is answered at that URL",
  }, async (t) => {
    const { endpoint, replyUrl } = urls(t);
    const message = {
      ...t.message(request({ do: "echo", text: tag("echo") })),
      sender: tag("agtest-elsewhere"),
      reply_to: replyUrl,
    };
    await post(t, endpoint, message);
    const answer = await t.expect(replyOf(message));
    t.assert(receiversOf(answer).includes(replyUrl), "the answer is not addressed to the reply_to URL", {
      expected: { receiver: replyUrl },
      received: answer,
    });
  }),
  test("refuses-a-body-that-is-not-json", {
    description: "a POST whose body is not JSON gets a 4xx, not a 2xx or a 5xx",
  }, async (t) => {
    const { endpoint } = urls(t);
    const { status } = await t.post(endpoint, "this is not a FIPA message {", { raw: true });
    t.assert(status >= 400 && status < 500, `POST ${endpoint} with a body that is not JSON answered HTTP ${status}`, {
      expected: "HTTP 4xx",
      received: status,
    });
  }),
];
