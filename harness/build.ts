/**
 * Builds the installable package (`npm run build`, run by `npm pack` as `prepack`), into `dist/`:
 *
 * - `dist/cli/`: the CLI (`bin.js`) and the suite API (`suite.js`, the package's `agtest/suite`)
 *   as ES modules bundled by esbuild with shared chunks, dependencies left to `node_modules`
 *   (miniflare, zod): no TypeScript loader at run time. The chunks sit two folders below the
 *   package root, as the sources do, so `worker/local/bundle.ts` finds `dist/runtime/`.
 * - `dist/runtime/`: the worker bundle and its Miniflare options (as `worker/local/bundle.ts`
 *   builds and caches them with wrangler), so an installed agtest starts the runtime without
 *   building anything, and without wrangler.
 * - `dist/types/`: declarations of the suite API (`harness/suite.d.ts` and what it refers to).
 */
import { execFile } from "node:child_process";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { buildCliInto } from "./cli-build.mjs";
import { workerBundle } from "../worker/local/bundle.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const DIST = join(ROOT, "dist");

/** The CLI and the suite API, compiled. */
export async function buildCli(outdir = join(DIST, "cli")): Promise<void> {
  await rm(outdir, { recursive: true, force: true });
  await buildCliInto(ROOT, outdir);
}

async function buildTypes(): Promise<void> {
  const out = join(DIST, "types");
  await rm(out, { recursive: true, force: true });
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  await promisify(execFile)(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.pack.json")], { cwd: ROOT }).catch(
    (error: { stdout?: string; message: string }) => {
      throw new Error(`the declarations did not build: ${error.stdout || error.message}`);
    },
  );
}

async function buildRuntime(): Promise<void> {
  const out = join(DIST, "runtime");
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  // The bundle the repository's runtime uses, built with wrangler once per source change.
  const bundle = await workerBundle();
  await copyFile(join(bundle.dir, "index.js"), join(out, "index.js"));
  await copyFile(join(bundle.dir, "options.json"), join(out, "options.json"));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await Promise.all([buildCli(), buildTypes(), buildRuntime()]);
}
