import { readFile, rm } from "node:fs/promises";
import { startMessageServer } from "../channels/loopback.js";
import { ensureFolder, watchFolder, writeMessageFile } from "./files.js";
import { settled } from "./settle.js";

/** Options of {@link startHttpAdapter}. */
export type HttpAdapterOptions = {
  outbox: string;
  inbox: string;
  /** Where outbox messages are POSTed. */
  target: string;
  /** Port for inbound messages (default 0: a free one). */
  listen?: number;
  host?: string;
  /** Progress and problems, one line each (default: nothing). */
  log?: (line: string) => void;
  /** Polling interval next to fs.watch, ms (default 50). */
  interval?: number;
};

/** A running adapter: `url` is where agents send replies (use it as the harness's address). */
export type HttpAdapter = { url: string; close(): Promise<void> };

const MAX_BACKOFF_MS = 5_000;

/**
 * The agtalk HTTP adapter (HIPE 0015, "Transport Adapters and agtalk"): sends outbox files in
 * creation order with HTTP POST to `target` and deletes each once sent; writes every message it
 * receives (on its own server, or in a POST response body) as a new file in the inbox. A send
 * that fails (no connection, 5xx, 429) is retried with backoff and the file kept: an unsent file
 * is never deleted. A 4xx is the target refusing a message it did receive: logged, then deleted.
 */
export async function startHttpAdapter(options: HttpAdapterOptions): Promise<HttpAdapter> {
  const { outbox, inbox, target, listen = 0, host = "127.0.0.1", log = () => undefined, interval = 50 } = options;
  await ensureFolder(outbox);
  await ensureFolder(inbox);
  const stop = new AbortController();
  const server = await startMessageServer({
    port: listen,
    host,
    onMessage: async (text) => void (await writeMessageFile(inbox, text)),
  });
  let failures = 0;
  let retryAt = 0;

  const watcher = watchFolder(
    outbox,
    async (file) => {
      if (Date.now() < retryAt) return "later";
      let bytes: string;
      try {
        bytes = await readFile(file.path, "utf8");
      } catch {
        return "done";
      }
      if (!settled(bytes, file.mtimeMs)) return "later";
      let res: Response;
      try {
        res = await fetch(target, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: bytes,
          signal: stop.signal,
        });
      } catch (error) {
        return retry(
          file.name,
          error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error),
        );
      }
      const body = await res.text().catch(() => "");
      if (res.status >= 500 || res.status === 429) return retry(file.name, `HTTP ${res.status}`);
      failures = 0;
      if (res.ok) {
        for (const message of messagesIn(body)) await writeMessageFile(inbox, message);
        log(`sent ${file.name} -> HTTP ${res.status}`);
      } else {
        log(`sent ${file.name}: the target refused it with HTTP ${res.status} ${body.slice(0, 200)}`);
      }
      await rm(file.path, { force: true });
      return "done";
    },
    { interval },
  );

  function retry(name: string, why: string): "later" {
    failures++;
    const wait = Math.min(MAX_BACKOFF_MS, 100 * 2 ** (failures - 1));
    retryAt = Date.now() + wait;
    log(`could not send ${name} (${why}); retrying in ${wait} ms`);
    return "later";
  }

  return {
    url: server.url,
    async close() {
      stop.abort();
      await watcher.close();
      await server.close();
    },
  };
}

/** The messages in a POST response body: one JSON message, or an array of them; else none. */
function messagesIn(body: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return [];
  }
  const items = Array.isArray(value) ? value : [value];
  return items.filter((v) => v !== null && typeof v === "object" && "performative" in v).map((v) => JSON.stringify(v));
}
