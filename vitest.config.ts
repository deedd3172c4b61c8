import { readdirSync } from "node:fs";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/** Every fixture agent as a data binding (`FIXTURE_PING`, `FIXTURE_MEMORY_HOG`...): real files, read by workerd. */
const fixtureBindings = Object.fromEntries(
  readdirSync("fixtures/agents")
    .filter((file) => file.endsWith(".wasm"))
    .map((file) => [`FIXTURE_${file.slice(0, -5).toUpperCase().replaceAll("-", "_")}`, `fixtures/agents/${file}`]),
);

/**
 * Three levels, one command (`npm test`):
 * - unit: pure TypeScript in Node (wasm pipeline, protocol, harness core);
 * - integration: the worker inside real workerd through the Workers pool;
 * - system: real workerd processes started by the test (restart, local server).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        plugins: [
          cloudflareTest({
            main: "./worker/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: { AGTEST_TOKEN: "test-token" },
              dataBlobBindings: fixtureBindings,
            },
          }),
        ],
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "system",
          include: ["test/system/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
