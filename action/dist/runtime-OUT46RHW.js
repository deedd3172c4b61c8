import { createRequire as __agtestCreateRequire } from "node:module";
const require = __agtestCreateRequire(import.meta.url);
import "./chunk-TUHQ4TON.js";

// worker/local/runtime.ts
import { join as join2 } from "node:path";
import { createInterface } from "node:readline";
import { Log, Miniflare } from "miniflare";

// worker/local/bundle.ts
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
var ROOT = fileURLToPath(new URL("../../", import.meta.url));
var SOURCES = ["worker", "protocol", "harness", "suites"];
var FILES = ["wrangler.toml", "package-lock.json"];
async function workerBundle() {
  const digest = await sourceDigest();
  const cache = join(ROOT, "node_modules", ".cache", "agtest");
  const dir = join(cache, `worker-${digest.slice(0, 16)}`);
  const cached = await readBundle(dir);
  if (cached) return cached;
  const tmp = `${dir}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await mkdir(tmp, { recursive: true });
  try {
    await buildInto(tmp);
    await rename(tmp, dir).catch(async (error) => {
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const built = await readBundle(dir);
  if (!built) throw new Error(`the worker bundle in ${dir} is incomplete`);
  return built;
}
async function readBundle(dir) {
  try {
    const options = JSON.parse(await readFile(join(dir, "options.json"), "utf8"));
    await stat(join(dir, "index.js"));
    return { dir, options };
  } catch {
    return void 0;
  }
}
async function buildInto(out) {
  const require2 = createRequire(import.meta.url);
  const wranglerDir = join(require2.resolve("wrangler/package.json"), "..");
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_LOG: "error" };
  await run(process.execPath, [join(wranglerDir, "bin", "wrangler.js"), "deploy", "--dry-run", "--outdir", out, "--config", join(ROOT, "wrangler.toml")], env);
  const script = `import(${JSON.stringify(join(wranglerDir, "wrangler-dist", "cli.js"))}).then((w) => {
    const { workerOptions } = w.unstable_getMiniflareWorkerOptions(${JSON.stringify(join(ROOT, "wrangler.toml"))});
    process.stdout.write(JSON.stringify(workerOptions));
  })`;
  const options = await run(process.execPath, ["--input-type=module", "-e", script], env);
  JSON.parse(options);
  await writeFile(join(out, "options.json"), options);
}
function run(command, args, env) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`building the worker failed: ${error.message}
${stderr.slice(-2e3)}`));
      else resolve(stdout);
    });
  });
}
async function sourceDigest() {
  const hash = createHash("sha256");
  const files = [...(await Promise.all(SOURCES.map((s) => walk(join(ROOT, s))))).flat(), ...FILES.map((f) => join(ROOT, f))].sort();
  for (const file of files) {
    hash.update(relative(ROOT, file)).update("\0");
    hash.update(await readFile(file).catch(() => Buffer.alloc(0))).update("\0");
  }
  return hash.digest("hex");
}
async function walk(dir) {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return e.name === "node_modules" ? [] : walk(path);
      return /\.(ts|tsx|js|mjs|json)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
    })
  );
  return nested.flat();
}

// worker/local/runtime.ts
var LOG_LEVELS = { none: 0, error: 1, warn: 2, info: 3, log: 3, debug: 4 };
async function startRuntime(options) {
  const { port = 8787, hostname = "127.0.0.1", token, persistTo = false, logLevel = "warn", testScheduled = false } = options;
  const bundle = await workerBundle();
  const { bindings = {}, ...worker } = bundle.options;
  const mf = new Miniflare({
    ...worker,
    name: "agtest",
    modules: true,
    scriptPath: join2(bundle.dir, "index.js"),
    modulesRoot: bundle.dir,
    bindings: { ...bindings, AGTEST_TOKEN: token, ...options.freshIsolates ? { AGTEST_FRESH_ISOLATES: "1" } : {} },
    host: hostname,
    port,
    log: new Log(LOG_LEVELS[logLevel]),
    unsafeTriggerHandlers: testScheduled,
    // No fetch of the real `request.cf` from Cloudflare: the runtime runs offline.
    cf: false,
    handleRuntimeStdio(stdout, stderr) {
      relay(stdout, process.stdout);
      relay(stderr, process.stderr);
    },
    ...persistTo === false ? {} : { defaultPersistRoot: join2(persistTo, "v3"), durableObjectsPersist: true }
  });
  let url;
  try {
    url = await mf.ready;
  } catch (error) {
    await mf.dispose().catch(() => void 0);
    throw error;
  }
  return {
    url: url.toString().replace(/\/$/, ""),
    token,
    async stop() {
      await mf.dispose();
    }
  };
}
var HUNG_UP = /disconnected: .*(Broken pipe|Connection reset by peer)/;
function relay(from, to) {
  let dropping = false;
  createInterface({ input: from, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) => {
    if (HUNG_UP.test(line)) {
      dropping = true;
      return;
    }
    if (dropping && line.startsWith("stack:")) return;
    dropping = false;
    to.write(`${line}
`);
  });
}
export {
  startRuntime
};
