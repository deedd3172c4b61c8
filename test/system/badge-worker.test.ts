import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { unstable_startWorker } from "wrangler";
import { afterAll, describe, expect, it } from "vitest";
import { xmlRoot } from "../helpers/xml.js";

const dir = mkdtempSync(join(tmpdir(), "agtest-badge-worker-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Worker that draws the badge of the profile it is sent, with the modules the runtime's badge route imports. */
const ENTRY = `
import { badgeFor, shieldsEndpoint } from ${JSON.stringify(resolve("protocol/badge.ts"))};
import { badgeSvg } from ${JSON.stringify(resolve("protocol/badge-svg.ts"))};
export default {
  async fetch(request) {
    const badge = badgeFor(await request.json());
    return new URL(request.url).pathname.endsWith(".json")
      ? Response.json(shieldsEndpoint(badge))
      : new Response(badgeSvg(badge), { headers: { "content-type": "image/svg+xml" } });
  },
};`;

describe("the badge in a Worker", () => {
  it("runs in workerd under the runtime's settings (nodejs_compat), bundled by wrangler", async () => {
    process.env.WRANGLER_SEND_METRICS ??= "false";
    process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
    const entry = join(dir, "badge-worker.js");
    writeFileSync(entry, ENTRY);
    const worker = await unstable_startWorker({
      entrypoint: entry,
      compatibilityDate: "2026-04-20",
      compatibilityFlags: ["nodejs_compat"],
      // unstable_startWorker does not derive this from the flags as `wrangler dev` does (it would be null).
      build: { nodejsCompatMode: "v2" },
      envFiles: [],
      sendMetrics: false,
      dev: {
        server: { hostname: "127.0.0.1", port: 0 },
        inspector: false,
        persist: false,
        logLevel: "error",
        watch: false,
        liveReload: false,
        remote: false,
      },
    });
    try {
      await worker.ready;
      const url = (await worker.url).toString();
      const profile = {
        test_suite: "urn:agtest:suite:fipa:1.1.0",
        profile: { "core.passive": "interoperable", "core.active": "constrained (5 of 6)" },
      };
      const svg = await fetch(new URL("/v1/badges/o/r/main.svg", url), {
        method: "POST",
        body: JSON.stringify(profile),
      });
      const text = await svg.text();
      expect(svg.headers.get("content-type")).toBe("image/svg+xml");
      expect(xmlRoot(text)).toBe("svg");
      expect(text).toContain("<title>interop: 1/2</title>");
      const json = await fetch(new URL("/v1/badges/o/r/main.json", url), {
        method: "POST",
        body: JSON.stringify(profile),
      });
      expect(await json.json()).toEqual({ schemaVersion: 1, label: "interop", message: "1/2", color: "yellow" });
    } finally {
      await worker.dispose();
    }
  });

  it("needs no Node API: the badge modules bundle for a plain platform-neutral Worker, without font tables", async () => {
    const bundle = await build({
      stdin: { contents: ENTRY, resolveDir: dir, sourcefile: "badge-worker.js", loader: "js" },
      bundle: true,
      format: "esm",
      platform: "neutral",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["module", "main"],
      write: false,
      logLevel: "silent",
    });
    // badge-maker loaded anafanafo, whose font tables (about a megabyte) needed `fs` to bundle at all.
    expect(bundle.outputFiles[0]!.text).not.toContain("anafanafo");
    expect(bundle.outputFiles[0]!.text).toContain("function badgeSvg");
  });
});
