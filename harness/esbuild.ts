import type { BuildOptions } from "esbuild";
import { fileURLToPath } from "node:url";

/** The project root, whatever the working directory: paths in the bundles are relative to it. */
export const ROOT = fileURLToPath(new URL("../", import.meta.url));

/**
 * What the package's CLI (`harness/build.ts`) and the action (`action/build.ts`) are bundled with
 * alike: ES modules for Node 20 (the project's floor) with shared chunks beside the entries, the
 * suite API as the entry `suite` that a user's suite file gets for `agtest/suite`
 * (harness/node/suite-file.ts maps it to `./suite.js`), no source maps, no timestamps, a fixed
 * working directory: the same sources give the same bytes.
 */
export function nodeBundle(outdir: string, entry: { [name: string]: string }): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: { ...entry, suite: "harness/suite.ts" },
    define: { __AGTEST_SUITE_API__: JSON.stringify("./suite.js") },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    entryNames: "[name]",
    chunkNames: "[name]-[hash]",
    charset: "utf8",
    logLevel: "warning",
  };
}
