import type { BuildOptions } from "esbuild";

/** The esbuild options the CLI and the action are bundled with alike (see cli-build.mjs). */
export function nodeBundle(root: string, outdir: string, entry: { [name: string]: string }): BuildOptions;

/** Compiles `harness/node/bin.ts` and `harness/suite.ts` of the checkout at `root` into `outdir`. */
export function buildCliInto(root: string, outdir: string): Promise<void>;
