import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** How the HTTP agent answers: in the POST response body, or later by POSTing to the receiver URL. */
export type Answering = "sync" | "async";

/** A running test HTTP agent. */
export type HttpAgent = { url: string; received: unknown[]; close(): Promise<void>; server: Server };

/**
 * Puts an in-memory agent (see fake-agent.ts) behind a real HTTP endpoint on 127.0.0.1: each
 * POSTed JSON body is a message; replies go back in the response (sync) or are POSTed to their
 * `receiver` when it is a URL (async).
 */
export async function startHttpAgent(
  agent: (message: unknown, send: (m: unknown) => void) => void,
  answering: Answering,
  port = 0,
): Promise<HttpAgent> {
  const received: unknown[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      let message: unknown;
      try {
        message = JSON.parse(body);
      } catch {
        res.writeHead(400).end('{"error":"not json"}');
        return;
      }
      received.push(message);
      const replies: unknown[] = [];
      agent(message, (m) => replies.push(m));
      if (answering === "sync") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(replies));
        return;
      }
      res.writeHead(202).end();
      for (const reply of replies) {
        const to = (reply as { receiver?: unknown }).receiver;
        if (typeof to === "string" && to.startsWith("http")) {
          void fetch(to, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(reply),
          }).catch(() => undefined);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/agent`,
    received,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
