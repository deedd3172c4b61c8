/** Compiles `harness/node/bin.ts` and `harness/suite.ts` of the checkout at `root` into `outdir`. */
export function buildCliInto(root: string, outdir: string): Promise<void>;
