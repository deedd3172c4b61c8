import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const LINE = /^\s*AGTEST_TOKEN\s*=\s*"?([^"\s]+)"?\s*$/m;

/**
 * The local token: `AGTEST_TOKEN` from the environment, else from `.dev.vars` (which
 * `wrangler dev` reads too), else a new random one written to `.dev.vars` so it stays the same
 * across restarts.
 */
export function localToken(devVarsPath: string): { token: string; source: string } {
  const fromEnv = process.env.AGTEST_TOKEN;
  if (fromEnv) return { token: fromEnv, source: "AGTEST_TOKEN" };
  if (existsSync(devVarsPath)) {
    const match = LINE.exec(readFileSync(devVarsPath, "utf8"));
    if (match?.[1]) return { token: match[1], source: devVarsPath };
  }
  const token = `agt_${randomBytes(24).toString("base64url")}`;
  const previous = existsSync(devVarsPath) ? readFileSync(devVarsPath, "utf8") : "";
  writeFileSync(devVarsPath, `${previous}${previous && !previous.endsWith("\n") ? "\n" : ""}AGTEST_TOKEN=${token}\n`, {
    mode: 0o600,
  });
  return { token, source: `${devVarsPath} (new)` };
}
