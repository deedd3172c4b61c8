// How the CLI and the suite API are compiled (esbuild, ES modules with shared chunks, packages
// left to node_modules): used by `npm run build` (harness/build.ts) for the package, and by
// harness/node/bin.mjs for the repository's own `agtest`, which runs the compiled CLI too.
import { build } from "esbuild";

/** Compiles `harness/node/bin.ts` and `harness/suite.ts` of the checkout at `root` into `outdir`. */
export async function buildCliInto(root, outdir) {
  await build({
    absWorkingDir: root,
    entryPoints: { bin: "harness/node/bin.ts", suite: "harness/suite.ts" },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    entryNames: "[name]",
    chunkNames: "[name]-[hash]",
    charset: "utf8",
    logLevel: "warning",
    // suite-file.ts maps `agtest/suite` to this file, beside the chunk that maps it.
    define: { __AGTEST_SUITE_API__: JSON.stringify("./suite.js") },
  });
}
