import { fileURLToPath } from "node:url";
import { unstable_startWorker } from "wrangler";

/** Where the project root (with wrangler.toml) is, wherever this file is run from. */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Options of {@link startRuntime}. */
export type RuntimeOptions = {
  /** Port to listen on; 0 picks a free one. */
  port?: number;
  hostname?: string;
  /** The bearer token the runtime will require. */
  token: string;
  /** Folder for Durable Object storage; `false` keeps it in memory only. */
  persistTo?: string | false;
  logLevel?: "none" | "error" | "warn" | "info" | "log" | "debug";
  /** Expose `GET /__scheduled` to fire the cron trigger by hand (tests). */
  testScheduled?: boolean;
  /** Every delivery in a new agent isolate (the `AGTEST_FRESH_ISOLATES` var), as the edge may do. */
  freshIsolates?: boolean;
};

/** A running local runtime. */
export type LocalRuntime = {
  url: string;
  token: string;
  stop(): Promise<void>;
};

/**
 * Starts the edge runtime on workerd, in this process, exactly as `wrangler dev` would: same
 * wrangler.toml, same bundle, same Durable Objects and Worker Loader.
 */
export async function startRuntime(options: RuntimeOptions): Promise<LocalRuntime> {
  const { port = 8787, hostname = "127.0.0.1", token, persistTo = false, logLevel = "warn", testScheduled = false } = options;
  process.env.WRANGLER_SEND_METRICS ??= "false";
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  const worker = await unstable_startWorker({
    config: `${ROOT}wrangler.toml`,
    bindings: {
      AGTEST_TOKEN: { type: "secret_text", value: token },
      ...(options.freshIsolates ? { AGTEST_FRESH_ISOLATES: { type: "plain_text" as const, value: "1" } } : {}),
    },
    envFiles: [],
    // wrangler 4.86's startWorker does not derive this from compatibility_flags as deploy does.
    build: { nodejsCompatMode: "v2" },
    sendMetrics: false,
    dev: {
      server: { hostname, port },
      inspector: false,
      persist: persistTo,
      logLevel,
      watch: false,
      liveReload: false,
      testScheduled,
      remote: false,
      enableContainers: false,
    },
  });
  await worker.ready;
  const url = (await worker.url).toString().replace(/\/$/, "");
  return {
    url,
    token,
    async stop() {
      await worker.dispose();
    },
  };
}
