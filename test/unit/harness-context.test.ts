import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cluster,
  defineSuite,
  httpChannel,
  memoryChannel,
  runSuite,
  test,
  type Channel,
  type TestFn,
  type TestResult,
} from "../../harness/core/index.js";

/** Runs `body` as the one test of a one-test suite through `channel`. */
async function run(channel: Channel, body: TestFn): Promise<TestResult> {
  const suite = defineSuite({
    id: "ctx",
    version: "2.3.4",
    title: "ctx",
    clusters: [cluster("x", { title: "x", passive: [test("one", { description: "d", timeout: 2_000 }, body)] })],
  });
  const [result] = (await runSuite(suite, { channel })).results;
  return result!;
}

// A tiny HTTP agent: JSON bodies get an inform in the response; anything else a 400.
let url: string;
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString()));
  req.on("end", () => {
    try {
      const m = JSON.parse(body) as { sender: string; reply_with?: string };
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(
          JSON.stringify({ performative: "inform", sender: "agent", receiver: m.sender, in_reply_to: m.reply_with }),
        );
    } catch {
      res.writeHead(400).end("not json");
    }
  });
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/agent`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the test context", () => {
  it("tells the test which suite it is in", async () => {
    let seen: unknown;
    await run(
      memoryChannel(() => undefined),
      (t) => {
        seen = t.suite;
      },
    );
    expect(seen).toEqual({ id: "ctx", version: "2.3.4", uri: "urn:agtest:suite:ctx:2.3.4", junctions: ["x.passive"] });
  });

  it("t.skip ends the test as skipped, with the reason", async () => {
    const result = await run(
      memoryChannel(() => undefined),
      (t) => t.skip("no HTTP here"),
    );
    expect(result).toMatchObject({ status: "skip", failure: { message: "no HTTP here" } });
  });

  it("a memory channel knows no HTTP transport; an HTTP channel its endpoint and its reply URL", async () => {
    let none: unknown;
    await run(
      memoryChannel(() => undefined),
      (t) => {
        none = t.http;
      },
    );
    expect(none).toEqual({});
    let some: unknown;
    await run(httpChannel({ endpoint: url, agent: "agent", replyTo: "http://127.0.0.1:1/replies" }), (t) => {
      some = t.http;
    });
    expect(some).toEqual({ endpoint: url, replyUrl: "http://127.0.0.1:1/replies" });
  });

  it("t.post returns the status, and answers in the response body reach the inbox", async () => {
    const channel = httpChannel({ endpoint: url, agent: "agent" });
    const result = await run(channel, async (t) => {
      const message = t.message({ performative: "request", content: "hi" });
      const posted = await t.post(url, message);
      t.assertEqual(posted.status, 200, "status");
      t.assertField(await t.expect({ in_reply_to: message.reply_with }), "performative", "inform", "no answer");
      const raw = await t.post(url, "{ not json", { raw: true });
      t.assertEqual([raw.status, raw.delivery.status], [400, "refused"], "raw body");
    });
    expect(result.failure).toBeUndefined();
    expect(result.status).toBe("pass");
  });
});
