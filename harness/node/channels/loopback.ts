import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** The largest body accepted (the runtime's maximum message size). */
const MAX_BODY = 1024 * 1024;

/** Options of {@link startMessageServer}. */
export type MessageServerOptions = {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Gets each message's JSON text (an array body is split into its items). */
  onMessage: (text: string) => void | Promise<void>;
};

/** A running message server. */
export type MessageServer = { url: string; close(): Promise<void> };

/**
 * An HTTP server that accepts messages POSTed to any path: what agents that answer
 * asynchronously post their replies to. Answers `202`; `413` over 1 MiB.
 */
export async function startMessageServer(options: MessageServerOptions): Promise<MessageServer> {
  const { port = 0, host = "127.0.0.1", onMessage } = options;
  const server = createServer((req, res) => {
    if (req.method !== "POST") {
      res
        .writeHead(req.method === "GET" ? 200 : 405, { "content-type": "application/json" })
        .end('{"agtalk":"post messages here"}');
      return;
    }
    readBody(req).then(
      async (text) => {
        if (text === null) {
          res
            .writeHead(413, { "content-type": "application/json" })
            .end('{"error":{"code":"PAYLOAD_TOO_LARGE","message":"over 1 MiB"}}');
          return;
        }
        for (const item of split(text)) await onMessage(item);
        res.writeHead(202, { "content-type": "application/json" }).end('{"accepted":true}');
      },
      () => res.writeHead(400).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// A JSON array of messages is several messages; anything else (even garbage) is one.
function split(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) return value.map((v) => JSON.stringify(v));
  } catch {
    // not JSON: the receiver reports it
  }
  return [text];
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
