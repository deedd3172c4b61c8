// The digest of the project's sources that the compiled CLI (harness/node/bin.mjs) and the cached
// worker bundle (worker/local/bundle.ts) are keyed by: a change to any of them builds again.
// Plain JavaScript, so bin.mjs runs it without a TypeScript loader; its types are in
// source-digest.d.mts.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

/** sha256 (hex) over the path and bytes of every source file under `dirs` and of `files`, below `root`. */
export function sourceDigest(root, dirs, files) {
  const hash = createHash("sha256");
  const paths = [...dirs.flatMap((d) => walk(join(root, d))), ...files.map((f) => join(root, f))].sort();
  for (const path of paths) {
    hash.update(relative(root, path)).update("\0");
    hash.update(existsSync(path) ? readFileSync(path) : "").update("\0");
  }
  return hash.digest("hex");
}

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : walk(path);
    return /\.(ts|tsx|js|mjs|json)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}
