#!/usr/bin/env node
// `agtest` as the package's bin: it runs the compiled CLI. The installed package ships it in
// dist/cli (`npm run build`). In the repository (the TypeScript sources beside this file) it is
// compiled here on the first run after a change to the sources, into dist/cli-<digest>/ (a few
// hundred milliseconds, once), so no TypeScript loader runs on every command.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

if (existsSync(new URL("./bin.ts", import.meta.url))) {
  await import(pathToFileURL(join(await compiled(), "bin.js")).href);
} else {
  await import("../../dist/cli/bin.js");
}

/** The folder of the CLI compiled from the sources as they are now (built if it is not there yet). */
async function compiled() {
  const { sourceDigest } = await import("../../worker/local/source-digest.mjs");
  // What the CLI is compiled from: the harness, and what it imports of the rest.
  const digest = sourceDigest(
    ROOT,
    ["harness", "protocol", "suites", "worker"],
    ["package-lock.json", "tsconfig.json"],
  ).slice(0, 16);
  const dist = join(ROOT, "dist");
  const dir = join(dist, `cli-${digest}`);
  if (existsSync(join(dir, "bin.js"))) return dir;
  // Each builder writes a folder of its own; the first rename wins, so nobody runs a half-built one.
  const tmp = join(dist, `.cli-${digest}.${process.pid}.tmp`);
  const { buildCliInto } = await import("../cli-build.mjs");
  try {
    await buildCliInto(ROOT, tmp);
    renameSync(tmp, dir);
  } catch (error) {
    if (!existsSync(join(dir, "bin.js"))) throw error;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // Builds of older sources are of no further use once no run can still be loading from them.
  for (const old of readdirSync(dist)) {
    const path = join(dist, old);
    const stale = /^cli-[0-9a-f]{16}$/.test(old) && old !== `cli-${digest}`;
    if (stale && Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
  }
  return dir;
}
