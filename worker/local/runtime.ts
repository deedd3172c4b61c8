import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createRequire } from "node:module";
import { workerBundle } from "./bundle.js";

// Required, not imported: Node imports a CommonJS package into an ES module by scanning its source
// for export names first (and, on Node 20, by trying to parse it as an ES module), which for
// miniflare's 3.8 MB bundle cost about half a second of every runtime start.
const { Log, Miniflare } = createRequire(import.meta.url)("miniflare") as typeof import("miniflare");

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
  /** Expose `GET /cdn-cgi/handler/scheduled?cron=...` to fire the cron trigger by hand (tests). */
  testScheduled?: boolean;
  /**
   * Loopback/private hosts agents may reach when their egress allowlist has them
   * (`AGTEST_PRIVATE_EGRESS`; none by default). The embedded test runtime passes its own host.
   */
  privateEgress?: string[];
  /** Every delivery in a new agent isolate (the `AGTEST_FRESH_ISOLATES` var), as the edge may do. */
  freshIsolates?: boolean;
};

/** A running local runtime. */
export type LocalRuntime = {
  url: string;
  token: string;
  stop(): Promise<void>;
};

/** Miniflare's log levels (its `LogLevel` enum), by name. */
const LOG_LEVELS = { none: 0, error: 1, warn: 2, info: 3, log: 3, debug: 4 } as const;

/**
 * Starts the edge runtime on workerd, in this process: the worker bundle `wrangler deploy` would
 * upload (built once per source change, see bundle.ts) with the bindings wrangler derives from
 * wrangler.toml, served by Miniflare directly. No dev proxy stands between the caller and workerd
 * (it answered 503 "worker restarted mid-request" when a long-poll ended under load), and
 * wrangler is not imported at run time.
 */
export async function startRuntime(options: RuntimeOptions): Promise<LocalRuntime> {
  const {
    port = 8787,
    hostname = "127.0.0.1",
    token,
    persistTo = false,
    logLevel = "warn",
    testScheduled = false,
    privateEgress = [],
  } = options;
  const bundle = await workerBundle();
  let stopping = false;
  const { bindings = {}, ...worker } = bundle.options as { bindings?: Record<string, unknown> };
  const mf = new Miniflare({
    ...worker,
    name: "agtest",
    modules: true,
    scriptPath: join(bundle.dir, "index.js"),
    modulesRoot: bundle.dir,
    bindings: {
      ...bindings,
      AGTEST_TOKEN: token,
      ...(options.freshIsolates ? { AGTEST_FRESH_ISOLATES: "1" } : {}),
      ...(privateEgress.length > 0 ? { AGTEST_PRIVATE_EGRESS: privateEgress.join(",") } : {}),
    },
    host: hostname,
    port,
    log: new Log(LOG_LEVELS[logLevel]),
    unsafeTriggerHandlers: testScheduled,
    // No fetch of the real `request.cf` from Cloudflare: the runtime runs offline.
    cf: false,
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      relay(stdout, process.stdout);
      relay(stderr, process.stderr);
      // workerd's output ends only with workerd: before stop() that is a crash, which would
      // otherwise show only as refused connections. Its own last words are on stderr above.
      stdout.once("end", () => {
        if (!stopping) process.stderr.write("agtest: the embedded runtime (workerd) exited unexpectedly\n");
      });
    },
    ...(persistTo === false ? {} : { defaultPersistRoot: join(persistTo, "v3"), durableObjectsPersist: true }),
  });
  let url: URL;
  try {
    url = await mf.ready;
  } catch (error) {
    stopping = true;
    await mf.dispose().catch(() => undefined);
    throw error;
  }
  return {
    url: url.toString().replace(/\/$/, ""),
    token,
    async stop() {
      stopping = true;
      await mf.dispose();
    },
  };
}

/**
 * workerd's report of a client that hung up before its answer was written (the harness aborts a
 * long-poll or a quiescence wait it no longer needs): expected, and no use to anyone reading.
 */
const HUNG_UP = /disconnected: .*(Broken pipe|Connection reset by peer)/;

/** Passes workerd's output through, less {@link HUNG_UP} reports and their stack lines. */
function relay(from: Readable, to: NodeJS.WritableStream): void {
  let dropping = false;
  createInterface({ input: from, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) => {
    if (HUNG_UP.test(line)) {
      dropping = true;
      return;
    }
    if (dropping && line.startsWith("stack:")) return;
    dropping = false;
    to.write(`${line}\n`);
  });
}
