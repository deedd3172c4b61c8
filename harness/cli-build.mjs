// How the CLI and the suite API are compiled (esbuild, ES modules with shared chunks, packages
// left to node_modules): used by `npm run build` (harness/build.ts) for the package, and by
// harness/node/bin.mjs for the repository's own `agtest`, which runs the compiled CLI too.
// `nodeBundle` is what the action's bundle (action/build.ts) shares with it. Plain JavaScript, so
// bin.mjs runs it without a TypeScript loader; its types are in cli-build.d.mts.
import { build } from "esbuild";

/**
 * The esbuild options the CLI and the action are bundled with alike: ES modules for Node 20 (the
 * project's floor) with shared chunks beside the entries, the suite API as the entry `suite` that
 * a user's suite file gets for `agtest/suite` (harness/node/suite-file.ts maps it to `./suite.js`),
 * no source maps, no timestamps, the working directory fixed at `root`: the same sources give the
 * same bytes.
 */
export function nodeBundle(root, outdir, entry) {
  return {
    absWorkingDir: root,
    entryPoints: { ...entry, suite: "harness/suite.ts" },
    // suite-file.ts maps `agtest/suite` to this file, beside the chunk that maps it.
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

/** Compiles `harness/node/bin.ts` and `harness/suite.ts` of the checkout at `root` into `outdir`. */
export async function buildCliInto(root, outdir) {
  // Dependencies stay in node_modules (miniflare, zod): the package installs them.
  await build({ ...nodeBundle(root, outdir, { bin: "harness/node/bin.ts" }), packages: "external" });
}
