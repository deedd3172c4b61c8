import { spawn } from "node:child_process";

/** What one `agtest` process left: its exit code and what it printed. */
export type CliRun = { code: number | null; out: string; err: string };

/** Runs the real `agtest` bin (the package's bin shim) as a child process. */
export function agtest(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["harness/node/bin.mjs", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("close", (code) => resolve({ code, out, err }));
  });
}
