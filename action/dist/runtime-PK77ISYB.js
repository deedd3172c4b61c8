import { createRequire as __agtestCreateRequire } from "node:module";
const require = __agtestCreateRequire(import.meta.url);
import "./chunk-TUHQ4TON.js";

// worker/local/runtime.ts
import { fileURLToPath } from "node:url";
import { unstable_startWorker } from "wrangler";
var ROOT = fileURLToPath(new URL("../../", import.meta.url));
async function startRuntime(options) {
  const { port = 8787, hostname = "127.0.0.1", token, persistTo = false, logLevel = "warn", testScheduled = false } = options;
  process.env.WRANGLER_SEND_METRICS ??= "false";
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  const worker = await unstable_startWorker({
    config: `${ROOT}wrangler.toml`,
    bindings: {
      AGTEST_TOKEN: { type: "secret_text", value: token },
      ...options.freshIsolates ? { AGTEST_FRESH_ISOLATES: { type: "plain_text", value: "1" } } : {}
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
      enableContainers: false
    }
  });
  await worker.ready;
  const url = (await worker.url).toString().replace(/\/$/, "");
  return {
    url,
    token,
    async stop() {
      await worker.dispose();
    }
  };
}
export {
  startRuntime
};
