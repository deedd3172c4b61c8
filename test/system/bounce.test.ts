import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { agtest } from "./helpers/agtest-cli.js";
import { parseProfile } from "../../harness/core/index.js";

const dir = mkdtempSync(join(tmpdir(), "agtest-bounce-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** How many runs in a row: the race it guards against (a dev proxy's 503) hit about one run in two. */
const RUNS = 3;

/**
 * Issue 11: an agent that answers every message, the runtime's failures included, with an inform
 * on a conversation of its own to a name nobody has keeps its runtime busy until the hop limit
 * ends each ping-pong. `agtest run --agent` must always finish with a profile (no run aborted by
 * a transport error), with the active junctions' agact requests simply unanswered (127).
 */
describe("the bounce ping-pong agent", () => {
  it(`gets a complete profile from agtest run --agent, ${RUNS} runs in a row`, async () => {
    for (let i = 0; i < RUNS; i++) {
      const out = join(dir, `profile-${i}.json`);
      const run = await agtest(
        "run",
        "--agent",
        "fixtures/agents/bounce.wasm",
        "--features",
        "core.passive,core.active",
        "--timeout",
        "2000",
        "--out",
        out,
      );
      expect(run.err, `run ${i}`).not.toMatch(/agtest: /);
      // Divergent everywhere (it answers nothing it is asked), which is a verdict: exit 1, not 3 or 4.
      expect(run.code, `run ${i}: ${run.err.slice(-500)}`).toBe(1);
      const profile = parseProfile(JSON.parse(readFileSync(out, "utf8")));
      expect(profile.profile).toEqual({ "core.passive": "divergent", "core.active": "divergent" });
      expect(profile.results?.length).toBe(20);
    }
  }, 600_000);
});
