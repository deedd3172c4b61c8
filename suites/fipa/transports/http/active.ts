import { receiversOf, test } from "../../../../harness/core/index.js";
import { tag } from "../../vocabulary.js";
import { urls } from "./passive.js";

/**
 * `transports.http.active`: the agent sends to an agent known only by an http(s) URL. A hosted
 * agent addresses the URL and its runtime POSTs it (the URL's host must be on its egress
 * allowlist; `agtest run --agent` allows the runtime's own host, where the harness receives).
 */
export const httpActive = [
  test("posts-to-a-url", {
    essential: true,
    description: "asked to send an inform to a URL, the inform arrives there, addressed to the URL",
  }, async (t) => {
    const { replyUrl } = urls(t);
    const text = tag("http");
    await t.act("send", "inform", replyUrl, text);
    const message = await t.expect({ performative: "inform", content: text });
    t.assert(receiversOf(message).includes(replyUrl), "the inform is not addressed to the URL", {
      expected: { receiver: replyUrl },
      received: message,
    });
  }),
];
