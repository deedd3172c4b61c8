import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildAction } from "../../action/build.js";

describe("the action's committed bundle", () => {
  it("is what `npm run build:action` builds from the sources now, byte for byte", async () => {
    const out = mkdtempSync(join(tmpdir(), "agtest-action-dist-"));
    try {
      await buildAction(out);
      const built = readdirSync(out).sort();
      const committed = readdirSync("action/dist").sort();
      const stale = "action/dist/ is stale: run `npm run build:action` and commit action/dist/";
      expect(committed, stale).toEqual(built);
      for (const file of built)
        expect(
          readFileSync(join("action/dist", file)).equals(readFileSync(join(out, file))),
          `${stale} (${file} differs)`,
        ).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("loads without wrangler or miniflare: only the embedded runtime's chunk imports miniflare, nothing imports wrangler", () => {
    const files = readdirSync("action/dist");
    const importing = (pkg: string) =>
      files.filter((f) =>
        // `from "pkg"`, `import("pkg")` or `createRequire(...)("pkg")`.
        new RegExp(`from ?"${pkg}"|\\("${pkg}"\\)`).test(readFileSync(join("action/dist", f), "utf8")),
      );
    const importers = importing("miniflare");
    expect(importers).toHaveLength(1);
    expect(importers[0]).toMatch(/^runtime-[A-Z0-9]+\.js$/);
    // wrangler only builds the worker bundle, as a child process (worker/local/bundle.ts).
    expect(importing("wrangler")).toEqual([]);
    expect(readFileSync("action/dist/index.js", "utf8")).not.toMatch(/from ?"(wrangler|miniflare)"/);
  });
});
