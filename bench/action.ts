import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Summary, sideBySide, summarize } from "./stats.js";

const DIST = "action/dist";

/** The GitHub Action's own cost: its bundle's size, and its start-up (to the first input error) vs a bare `node`. */
export async function benchAction(
  rounds: number,
): Promise<{ bytes: number; files: number; startup: Summary; bare: Summary }> {
  const files = readdirSync(DIST).filter((f) => f.endsWith(".js"));
  const bytes = files.reduce((sum, f) => sum + statSync(join(DIST, f)).size, 0);
  // An invalid input: the action loads its bundle, reads its inputs and fails, with no suite run.
  const env = { PATH: process.env.PATH ?? "", GITHUB_REPOSITORY: "o/r", "INPUT_FAIL-ON": "bogus" };
  const startAction = () => exit([join(DIST, "index.js")], env, 1);
  const bareNode = () => exit(["-e", ""], env, 0);
  await Promise.all([startAction(), bareNode()]);
  const [startup, bare] = await sideBySide(rounds, startAction, bareNode);
  return { bytes, files: files.length, startup: summarize(startup), bare: summarize(bare) };
}

function exit(args: string[], env: Record<string, string>, expected: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: "ignore" });
    child.on("error", reject);
    child.on("close", (code) =>
      code === expected ? resolve() : reject(new Error(`node ${args.join(" ")}: exit ${code}, expected ${expected}`)),
    );
  });
}
