import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sourceDigest } from "./source-digest.mjs";

/** Where the project root (with wrangler.toml) is, wherever this file is run from. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Where the package carries the bundle built at `npm pack` (see harness/build.ts). */
export const PREBUILT = join(ROOT, "dist", "runtime");

/** What the worker bundle is built from: a change to any of these builds it again. */
const SOURCES = ["worker", "protocol", "harness", "suites"];
const FILES = ["wrangler.toml", "package-lock.json"];

/**
 * The worker as `wrangler deploy` would upload it, and the Miniflare options wrangler derives
 * from wrangler.toml (bindings, Durable Objects, Worker Loader, compatibility): what the local
 * runtime starts workerd with, without wrangler's dev proxy or wrangler itself at run time.
 */
export type WorkerBundle = {
  /** The folder holding `index.js` (the bundle's main module). */
  dir: string;
  /** `workerOptions` of wrangler's `unstable_getMiniflareWorkerOptions`, as JSON. */
  options: Record<string, unknown>;
};

/**
 * The bundle for the current sources, built once and cached in `node_modules/.cache/agtest/`
 * by a digest of every source file: the first start after a change pays wrangler's build (a few
 * seconds), every later start only reads a file. Concurrent builders each write a folder of
 * their own and the first rename wins, so a half-written bundle is never used.
 */
export async function workerBundle(): Promise<WorkerBundle> {
  // The installed package ships the bundle prebuilt (at `npm pack`) and no worker sources.
  if (!existsSync(join(ROOT, "worker"))) {
    const shipped = await readBundle(PREBUILT);
    if (!shipped) throw new Error(`the prebuilt worker bundle ${PREBUILT} is missing: reinstall agtest`);
    return shipped;
  }
  const digest = sourceDigest(ROOT, SOURCES, FILES);
  const cache = join(ROOT, "node_modules", ".cache", "agtest");
  const dir = join(cache, `worker-${digest.slice(0, 16)}`);
  const cached = await readBundle(dir);
  if (cached) return cached;
  const tmp = `${dir}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await mkdir(tmp, { recursive: true });
  try {
    await buildInto(tmp);
    await rename(tmp, dir).catch(async (error: NodeJS.ErrnoException) => {
      // Someone else finished first: theirs is the same build.
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const built = await readBundle(dir);
  if (!built) throw new Error(`the worker bundle in ${dir} is incomplete`);
  return built;
}

async function readBundle(dir: string): Promise<WorkerBundle | undefined> {
  try {
    const options = JSON.parse(await readFile(join(dir, "options.json"), "utf8")) as Record<string, unknown>;
    await stat(join(dir, "index.js"));
    return { dir, options };
  } catch {
    return undefined;
  }
}

/** Runs wrangler (its CLI, in a child process: importing it here would cost seconds every start). */
async function buildInto(out: string): Promise<void> {
  const require = createRequire(import.meta.url);
  const wranglerDir = join(require.resolve("wrangler/package.json"), "..");
  const env = {
    ...process.env,
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_LOG: "error",
  };
  await run(
    process.execPath,
    [
      join(wranglerDir, "bin", "wrangler.js"),
      "deploy",
      "--dry-run",
      "--outdir",
      out,
      "--config",
      join(ROOT, "wrangler.toml"),
    ],
    env,
  );
  // The Miniflare options as wrangler derives them: one source for the bindings, wrangler.toml.
  const script = `import(${JSON.stringify(join(wranglerDir, "wrangler-dist", "cli.js"))}).then((w) => {
    const { workerOptions } = w.unstable_getMiniflareWorkerOptions(${JSON.stringify(join(ROOT, "wrangler.toml"))});
    process.stdout.write(JSON.stringify(workerOptions));
  })`;
  const options = await run(process.execPath, ["--input-type=module", "-e", script], env);
  JSON.parse(options);
  await writeFile(join(out, "options.json"), options);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`building the worker failed: ${error.message}\n${stderr.slice(-2_000)}`));
      else resolve(stdout);
    });
  });
}
