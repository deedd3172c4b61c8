import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

describe("the deployable bundle", () => {
  it("wrangler deploy --dry-run builds it offline with every binding", () => {
    const out = mkdtempSync(join(tmpdir(), "agtest-bundle-"));
    try {
      const log = execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out], {
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
      expect(log).toMatch(/--dry-run: exiting now/);
      for (const binding of ["LOADER", "REGISTRY", "AGENT_HOST"]) expect(log).toContain(binding);
      const files = readdirSync(out);
      expect(files).toContain("index.js");
      const bundle = readFileSync(join(out, "index.js"), "utf8");
      // The Worker entry exports both Durable Object classes and the Hono app.
      expect(bundle).toMatch(/export \{[^}]*\bAgentHost\b[^}]*\bRegistry\b[^}]*as default/s);
      // The sandbox glue travels inside the bundle: agents need nothing else at the edge.
      expect(bundle).toContain("AgentSandbox = class extends WorkerEntrypoint");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
