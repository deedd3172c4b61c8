import { describe, expect, it } from "vitest";
import {
  cluster,
  defineSuite,
  memoryChannel,
  runSuite,
  test,
  type MemoryAgent,
  type TestFn,
  type TestResult,
} from "../../harness/core/index.js";
import { replyTo, type AclMessage, type Performative } from "../../protocol/index.js";
import { Thread } from "../../suites/fipa/thread.js";
import { cfp, request } from "../../suites/fipa/vocabulary.js";

/** Runs `body` as the one test of a one-test suite against `agent`; returns its result. */
async function run(agent: MemoryAgent, body: TestFn): Promise<TestResult> {
  const suite = defineSuite({
    id: "thread",
    version: "1.0.0",
    title: "Thread",
    clusters: [cluster("x", { title: "x", passive: [test("one", { description: "d", timeout: 2_000 }, body)] })],
  });
  const channel = memoryChannel(agent, { agent: "agent", name: "harness" });
  try {
    const [result] = (await runSuite(suite, { channel })).results;
    return result!;
  } finally {
    await channel.close();
  }
}

/** An agent that answers every message with `acts`, in order, each tweaked by `edit`. */
function answering(
  acts: Performative[],
  edit: (reply: AclMessage, to: AclMessage) => void = () => undefined,
): MemoryAgent {
  return (raw, send) => {
    const message = raw as AclMessage;
    for (const act of acts) {
      const reply = replyTo(message, act, { sender: "agent" });
      edit(reply, message);
      send(reply);
    }
  };
}

const echo: TestFn = async (t) => {
  const thread = await Thread.open(t, request({ do: "echo", text: "x" }));
  const first = await thread.next(["agree", "inform"]);
  if (first.performative === "agree") await thread.next("inform");
  await thread.quiet("the inform ended it");
};

describe("Thread: a conversation judged by the protocol's state machine", () => {
  it("passes agree then inform, or inform alone (agree may be skipped)", async () => {
    expect((await run(answering(["agree", "inform"]), echo)).status).toBe("pass");
    expect((await run(answering(["inform"]), echo)).status).toBe("pass");
  });

  it("fails an agree after the inform with the machine's own sentence", async () => {
    const result = await run(answering(["inform", "agree"]), echo);
    expect(result.status).toBe("fail");
    expect(result.failure?.message).toMatch(
      /^the agent broke fipa-request: agree from agent to harness: the conversation is already done/,
    );
    expect(result.failure?.expected).toBe("no message");
  });

  it("catches an answer in another conversation (found by its in_reply_to)", async () => {
    const result = await run(
      answering(["inform"], (r) => (r.conversation_id = "c-elsewhere")),
      echo,
    );
    expect(result.failure?.message).toMatch(/belongs to conversation "c-elsewhere"/);
  });

  it("catches an in_reply_to that quotes no reply_with of the harness", async () => {
    const result = await run(
      answering(["inform"], (r, to) => (r.in_reply_to = String(to.message_id))),
      echo,
    );
    expect(result.failure?.message).toBe(
      "the message's in_reply_to quotes no reply_with the harness sent in this conversation",
    );
  });

  it("judges deadlines: a proposal to a cfp whose reply_by has passed is late", async () => {
    const result = await run(answering(["propose"]), async (t) => {
      const thread = await Thread.open(t, { ...cfp("p", 0), reply_by: new Date(Date.now() - 1_000).toISOString() });
      await thread.quiet("the deadline had passed");
    });
    expect(result.failure?.message).toMatch(
      /broke fipa-contract-net: .*late proposal, sent after the cfp's reply_by deadline/,
    );
  });

  it("a runtime's answer is not the agent's: it fails next(), unless asked for", async () => {
    const bounce = answering(["not-understood"], (r) => (r["x_agtest_origin"] = "runtime"));
    const failed = await run(bounce, async (t) => {
      await (await Thread.open(t, request({ do: "echo" }))).next("inform");
    });
    expect(failed.failure?.message).toMatch(/^the runtime answered instead of the agent/);
    const taken = await run(bounce, async (t) => {
      const answer = await (await Thread.open(t, request({ do: "echo" }))).next(undefined, { runtime: true });
      t.assertField(answer, "performative", "not-understood", "not the bounce");
    });
    expect(taken.status).toBe("pass");
  });

  it("a test that breaks the protocol itself is an error, not the agent's failure", async () => {
    const result = await run(answering(["inform"]), async (t) => {
      const thread = await Thread.open(t, request({ do: "echo" }));
      const inform = await thread.next("inform");
      await thread.reply(inform, { performative: "accept-proposal" });
    });
    expect(result.status).toBe("error");
    expect(result.failure?.message).toMatch(
      /^the test breaks the protocol itself: accept-proposal from harness to agent: accept-proposal is not an act of fipa-request/,
    );
  });

  it("joins a conversation the agent opened, answering as the address the agent used", async () => {
    const seen: AclMessage[] = [];
    // Asked (by any message outside a conversation of its own), the agent requests; then it listens.
    const agent: MemoryAgent = (raw, send) => {
      const message = raw as AclMessage;
      seen.push(message);
      if (message.conversation_id === "c-agent") return;
      send({
        performative: "request",
        sender: "agent",
        receiver: "harness",
        protocol: "fipa-request",
        conversation_id: "c-agent",
        reply_with: "r-agent",
        content: "do it",
      });
    };
    const result = await run(agent, async (t) => {
      await t.send(t.message({ performative: "inform", content: "go" }));
      const opening = await t.expect({ performative: "request" });
      const thread = Thread.join(t, opening);
      await thread.reply(opening, { performative: "agree" });
      await thread.quiet("agree needs no answer");
      t.assertEqual(thread.state, "agreed", "the thread did not move");
    });
    expect(result.status).toBe("pass");
    expect(seen.at(-1)).toMatchObject({
      performative: "agree",
      sender: "harness",
      conversation_id: "c-agent",
      in_reply_to: "r-agent",
      protocol: "fipa-request",
    });
  });
});
