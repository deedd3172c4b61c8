import { describe, expect, it } from "vitest";
import {
  cluster,
  defineSuite,
  memoryChannel,
  postMessage,
  retrying,
  runSuite,
  Silence,
  test,
  Inbox,
  type MemoryAgent,
  type TestFn,
} from "../../harness/core/index.js";
import { silenceFloor } from "../../harness/node/commands/run.js";
import { replyTo, type AclMessage } from "../../protocol/index.js";
import { Thread } from "../../suites/fipa/thread.js";
import { request } from "../../suites/fipa/vocabulary.js";

const inform = (inReplyTo: string) => ({
  ok: true as const,
  via: "t",
  message: { performative: "inform" as const, sender: "a", receiver: "h", in_reply_to: inReplyTo },
});

describe("Silence: the adaptive window", () => {
  it("is cautious until it has round trips, then a multiple of their p99, never under the floor", () => {
    const silence = new Silence({ floor: 300, factor: 4 });
    expect(silence.window()).toMatchObject({ window_ms: 1_000, samples: 0, p99_ms: null });
    for (const id of ["r1", "r2", "r3"]) {
      silence.sent({ reply_with: id });
      silence.arrived(inform(id));
    }
    // Sub-millisecond round trips: the floor holds.
    expect(silence.window()).toMatchObject({ window_ms: 300, samples: 3 });
    expect(silence.summary()).toMatchObject({ floor_ms: 300, factor: 4, round_trips: { samples: 3 } });
    // An answer quoting nothing sent, or a second answer to the same request, is no sample.
    silence.arrived(inform("r1"));
    silence.arrived(inform("unknown"));
    expect(silence.summary().round_trips.samples).toBe(3);
  });

  it("grows with slow round trips", async () => {
    const silence = new Silence({ floor: 10, factor: 4 });
    for (const id of ["a", "b", "c"]) {
      silence.sent({ reply_with: id });
      await new Promise((r) => setTimeout(r, 30));
      silence.arrived(inform(id));
    }
    expect(silence.window().window_ms).toBeGreaterThanOrEqual(4 * 30 - 5);
  });

  it("--silence sets the floor; --timeout scales the default one", () => {
    expect(silenceFloor({})).toBe(300);
    expect(silenceFloor({ silence: 50 })).toBe(50);
    expect(silenceFloor({ timeout: 20_000 })).toBe(1_200);
    expect(silenceFloor({ timeout: 1_000 })).toBe(300);
  });
});

/** Runs `body` as the one test of a suite against `agent`; returns the report. */
async function run(agent: MemoryAgent, body: TestFn, quiescence = true, timeout = 10_000) {
  const suite = defineSuite({
    id: "silence",
    version: "1.0.0",
    title: "S",
    clusters: [cluster("x", { title: "x", passive: [test("one", { description: "d", timeout }, body)] })],
  });
  const channel = memoryChannel(agent, { agent: "agent", name: "harness", quiescence });
  try {
    return await runSuite(suite, { channel, silence: { floor: 100 } });
  } finally {
    await channel.close();
  }
}

const echo: TestFn = async (t) => {
  const thread = await Thread.open(t, request({ do: "echo", text: "x" }));
  await thread.next("inform");
  await thread.quiet("the inform ended it");
};

/** Answers inform at once, then, after `lateMs` of "work", a second inform (a protocol violation). */
function lateSecondInform(lateMs: number): MemoryAgent {
  return async (raw, send) => {
    const message = raw as AclMessage;
    send(replyTo(message, "inform", { sender: "agent", content: { echo: "x" } }));
    await new Promise((r) => setTimeout(r, lateMs));
    send(replyTo(message, "inform", { sender: "agent", content: { echo: "again" } }));
  };
}

describe("deciding silence in a test", () => {
  it("with quiescence, a wrong message after a long delay is still caught, and the wait is reported", async () => {
    // 1.5 s: longer than any fixed window the suites had (300 to 600 ms).
    const report = await run(lateSecondInform(1_500), echo);
    const [result] = report.results;
    expect(result?.status).toBe("fail");
    expect(result?.failure?.message).toMatch(/^the agent broke fipa-request/);
    expect(report.silence?.mode).toBe("quiescent");
  });

  it("with quiescence, an agent that is done passes at once, and says it waited for quiet", async () => {
    const report = await run((raw, send) => send(replyTo(raw as AclMessage, "inform", { sender: "agent" })), echo);
    const [result] = report.results;
    expect(result?.status).toBe("pass");
    expect(result?.silence).toEqual([{ mode: "quiescent", ms: expect.any(Number) }]);
  });

  it("with quiescence, an agent still busy when the budget runs out fails: silence was not shown", async () => {
    const report = await run(
      lateSecondInform(3_000),
      async (t) => {
        const thread = await Thread.open(t, request({ do: "echo", text: "x" }));
        await thread.next("inform");
        await thread.quiet("done");
      },
      true,
      500,
    );
    expect(report.results[0]?.failure?.message).toMatch(/still busy when the test's time ran out/);
  });

  it("without quiescence, the adaptive window decides and is reported in the result and the profile", async () => {
    const report = await run(
      (raw, send) => send(replyTo(raw as AclMessage, "inform", { sender: "agent" })),
      echo,
      false,
    );
    const [result] = report.results;
    expect(result?.status).toBe("pass");
    expect(result?.silence).toEqual([
      { mode: "adaptive", window_ms: expect.any(Number), p99_ms: expect.any(Number), samples: 1 },
    ]);
    expect(result?.silence?.[0]).toMatchObject({ window_ms: 1_000 });
    expect(report.silence).toMatchObject({ mode: "adaptive", floor_ms: 100, round_trips: { samples: 1 } });
  });

  it("without quiescence, a wrong message inside the window is caught", async () => {
    const report = await run(lateSecondInform(20), echo, false);
    expect(report.results[0]?.failure?.message).toMatch(/^the agent broke fipa-request/);
  });
});

describe("retrying idempotent requests", () => {
  it("tries a broken connection or a 503 again, at most three times", async () => {
    let calls = 0;
    const flaky: typeof fetch = async () => {
      calls++;
      if (calls === 1) throw new TypeError("fetch failed", { cause: new Error("read ECONNRESET") });
      if (calls === 2) return new Response("busy", { status: 503 });
      return new Response("ok");
    };
    expect(await (await retrying(flaky, "http://x")).text()).toBe("ok");
    expect(calls).toBe(3);
    calls = 0;
    const down: typeof fetch = async () => {
      calls++;
      throw new TypeError("fetch failed");
    };
    await expect(retrying(down, "http://x")).rejects.toThrow("fetch failed");
    expect(calls).toBe(4);
  });

  it("a message with a message_id is sent again after a reset; one without is not (it could arrive twice)", async () => {
    let calls = 0;
    const resetOnce: typeof fetch = async () => {
      if (++calls === 1) throw new TypeError("fetch failed");
      return new Response(JSON.stringify({ message_id: "m-1" }), { status: 202 });
    };
    const inbox = new Inbox();
    expect(
      (await postMessage("http://x", { performative: "inform", message_id: "m-1" }, { inbox, fetch: resetOnce }))
        .status,
    ).toBe(202);
    expect(calls).toBe(2);
    calls = 0;
    await expect(postMessage("http://x", { performative: "inform" }, { inbox, fetch: resetOnce })).rejects.toThrow(
      /cannot reach/,
    );
    expect(calls).toBe(1);
  });
});
