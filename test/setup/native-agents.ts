/**
 * Global setup of the integration project: builds the C and Rust sample agents with the
 * compilers on this machine (fixtures/native.ts) and hands their bytes to the tests
 * (`inject("nativeAgents")`), which run inside workerd where no compiler can run.
 *
 * Where a toolchain is missing its agents are listed in `missing` and the tests that need them
 * are skipped, with a message here and in the test's name. Never in CI (`CI=true`): there a
 * missing toolchain fails the run (`.ci/run` installs them).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { buildNativeAgents, readBuilt } from "../../fixtures/native.js";
import "../helpers/native-agents.js";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "agtest-native-"));
  const build = await buildNativeAgents(dir);
  const missing = Object.entries(build.missing);
  if (missing.length > 0) {
    const lines = missing.map(([name, why]) => `  ${name}: ${why}`).join("\n");
    if (process.env.CI === "true") throw new Error(`CI must build every native agent; missing:\n${lines}`);
    console.warn(`\n[native agents] SKIPPING the tests of agents whose compiler is missing:\n${lines}\n`);
  }
  project.provide("nativeAgents", {
    modules: await readBuilt(build),
    missing: build.missing,
    compilers: build.compilers,
  });
  return () => rm(dir, { recursive: true, force: true });
}
