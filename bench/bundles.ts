import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

/** Bytes of every `.js` file in `dir`. */
function jsBytes(dir: string): number {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".js"))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

/**
 * Bundle sizes: the worker as `wrangler deploy` uploads it (what workerd parses at every boot,
 * built as `npm run build:worker` does) and the committed GitHub Action (`action/dist`).
 */
export async function benchBundles(): Promise<{ worker: number; action: number }> {
  const out = mkdtempSync(join(tmpdir(), "agtest-bundle-"));
  try {
    const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
    await promisify(execFile)("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out], { env });
    return { worker: jsBytes(out), action: jsBytes("action/dist") };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
