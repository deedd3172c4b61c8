import { spawn } from "node:child_process";
import type { ActResult, Backchannel } from "../../core/index.js";

/** Options of {@link commandBackchannel}. */
export type CommandBackchannelOptions = {
  /** A command that does not exit within this many ms counts as broken (default 30 s). */
  timeout?: number;
  cwd?: string;
};

/**
 * Splits a command line into words like a POSIX shell would for simple cases: spaces separate,
 * single and double quotes group, backslash escapes. No expansion of any kind.
 */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let quote: "'" | '"' | null = null;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (c === "\\" && i + 1 < line.length) {
      word += line[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(word);
      word = "";
      started = false;
    } else {
      word += c;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

/**
 * The `agact` command (HIPE 0015, "Asking for Action"): runs `COMMAND ACTION [PARAMS...]` (no
 * shell: parameters are passed as they are). Exit 0 -> 0, 127 -> unsupported, 1 or anything else
 * (another code, a signal, not exiting in time, not starting at all) -> broken.
 */
export function commandBackchannel(
  command: string | readonly string[],
  options: CommandBackchannelOptions = {},
): Backchannel {
  const { timeout = 30_000, cwd } = options;
  const [program, ...fixed] = typeof command === "string" ? splitCommand(command) : command;
  if (program === undefined) throw new RangeError("the agact command is empty");
  return {
    kind: "command",
    act(action, params, signal): Promise<ActResult> {
      return new Promise((resolve) => {
        // Its own process group, so a timeout ends the script and whatever it started.
        const child = spawn(program, [...fixed, action, ...params], {
          cwd,
          stdio: ["ignore", "ignore", "pipe"],
          detached: true,
        });
        let stderr = "";
        let timedOut = false;
        child.stderr.on("data", (chunk: Buffer) => {
          if (stderr.length < 2000) stderr += chunk.toString("utf8");
        });
        const kill = () => {
          if (child.pid !== undefined && child.exitCode === null) {
            try {
              process.kill(-child.pid, "SIGKILL");
            } catch {
              child.kill("SIGKILL");
            }
          }
        };
        const timer = setTimeout(() => {
          timedOut = true;
          kill();
        }, timeout);
        signal?.addEventListener("abort", kill, { once: true });
        const tail = () => (stderr.trim() ? `: ${stderr.trim().split("\n").slice(-3).join(" | ")}` : "");
        const settle = (result: ActResult) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", kill);
          resolve(result);
        };
        child.on("error", (error: NodeJS.ErrnoException) =>
          settle({ code: 1, detail: `cannot run agact command ${program} (${error.code ?? error.message})` }),
        );
        child.on("close", (code, killedBy) => {
          if (timedOut) settle({ code: 1, detail: `${program} ${action} did not exit within ${timeout} ms${tail()}` });
          else if (code === 0) settle({ code: 0 });
          else if (code === 127) settle({ code: 127, detail: `${program} ${action} exited 127${tail()}` });
          else if (killedBy) settle({ code: 1, detail: `${program} ${action} was killed by ${killedBy}${tail()}` });
          else settle({ code: 1, detail: `${program} ${action} exited ${code ?? "?"}${tail()}` });
        });
      });
    },
  };
}
