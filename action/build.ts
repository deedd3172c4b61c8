import { build, type BuildOptions, type Plugin } from "esbuild";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { nodeBundle } from "../harness/cli-build.mjs";

/** The project root, whatever the working directory: paths in the bundle are relative to it. */
const ROOT = fileURLToPath(new URL("../", import.meta.url));

/**
 * How the action is bundled: every import inlined except `wrangler`, which starts the embedded
 * runtime and is installed next to the worker's sources when a job needs it (see
 * `action/src/provision.ts`). ES modules with code splitting, so the embedded runtime's chunk (the
 * only code that imports wrangler) is loaded only when used; chunks sit beside `index.js`,
 * two folders below the root as `worker/local/runtime.ts` is, whose `../../` finds `wrangler.toml`.
 * No source maps, no timestamps, fixed working directory: the same sources give the same bytes.
 */
export function actionBuildOptions(outdir: string): BuildOptions {
  return {
    // GitHub runs it on node24; Node 20 (the project's floor) runs the same file in tests.
    ...nodeBundle(ROOT, outdir, { index: "action/src/index.ts" }),
    external: ["wrangler", "miniflare"],
    legalComments: "eof",
    // Smaller to check in and faster for node to parse at every job start (bench prints the size).
    minify: true,
    plugins: [oneUndici],
    // CommonJS dependencies (undici, tunnel) call require() for Node built-ins.
    banner: {
      js: 'import { createRequire as __agtestCreateRequire } from "node:module";\nconst require = __agtestCreateRequire(import.meta.url);',
    },
  };
}

/**
 * `@actions/core` and `@actions/github` each get their own copy of undici 6 (the root one is
 * miniflare's undici 7): one copy in the bundle instead of two saves ~770 KB.
 */
const oneUndici: Plugin = {
  name: "one-undici",
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, (args) => {
      if (args.pluginData === "one-undici") return undefined;
      return b.resolve("undici", {
        kind: args.kind,
        resolveDir: `${ROOT}node_modules/@actions/http-client`,
        pluginData: "one-undici",
      });
    });
  },
};

/** Builds the action into `outdir` (default `action/dist`), replacing what was there. */
export async function buildAction(outdir = `${ROOT}action/dist`): Promise<void> {
  await rm(outdir, { recursive: true, force: true });
  await build(actionBuildOptions(outdir));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildAction(process.argv[2]);
