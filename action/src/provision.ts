import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as core from "@actions/core";
import { exec } from "@actions/exec";
import { ActionError } from "./errors.js";

/**
 * The action's own checkout (`$GITHUB_ACTION_PATH`): two folders above this file, which is
 * `action/dist/index.js` once bundled and `action/src/provision.ts` in tests.
 */
export const ACTION_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Left beside `node_modules/` by the action: it installed them, so it may install them again. */
export const INSTALL_MARKER = ".agtest-action-install";

/**
 * The embedded runtime is the edge runtime on workerd, started by wrangler from the worker's
 * sources in the action's checkout, exactly as `agtest run --agent` does. workerd (and the
 * esbuild wrangler bundles the worker with) are native binaries, so they cannot travel inside
 * `action/dist/`; and GitHub checks an action out without `node_modules/`. So the first time
 * the runtime is needed, this installs the project's production dependencies (wrangler, the
 * worker's libraries) from its own lockfile with `npm ci --omit=dev`: exact versions, and only
 * when a job runs the embedded runtime. A later step in the same job, or a self-hosted runner
 * that keeps its `_actions` folder, finds them installed and skips this.
 */
export async function ensureRuntime(root: string = ACTION_ROOT): Promise<{ installed: boolean }> {
  const missing = missingPackages(root);
  if (missing.length === 0) return { installed: false };
  const modules = join(root, "node_modules");
  const marker = join(root, INSTALL_MARKER);
  if (existsSync(modules) && !existsSync(marker)) {
    // Never `npm ci` over a developer's checkout: it would delete their dev dependencies.
    throw new ActionError(
      `the embedded runtime needs ${missing.join(", ")} in ${modules}, which this action did not install; run \`npm ci\` in ${root}`,
    );
  }
  writeFileSync(marker, "node_modules/ here was installed by the agtest action (npm ci --omit=dev)\n");
  const code = await core
    .group(`Installing the embedded runtime (npm ci --omit=dev: ${missing.join(", ")})`, () =>
      // Scripts are not needed: workerd's and esbuild's binaries come in their platform packages.
      exec("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"], {
        cwd: root,
        ignoreReturnCode: true,
      }),
    )
    .catch((error: unknown) => {
      throw new ActionError(
        `cannot run npm to install the embedded runtime (${error instanceof Error ? error.message : String(error)}); the runner needs Node.js with npm (actions/setup-node), or test an HTTP agent with the \`endpoint\` input`,
      );
    });
  if (code !== 0)
    throw new ActionError(
      `npm ci --omit=dev failed in ${root} (exit ${code}), so the embedded runtime cannot start; see the log group above`,
    );
  const still = missingPackages(root);
  if (still.length > 0) throw new ActionError(`npm ci did not install ${still.join(", ")} in ${modules}`);
  return { installed: true };
}

/** Production dependencies of the checkout that are absent from `node_modules/` or not at their locked version. */
export function missingPackages(root: string): string[] {
  const manifest = readJson(join(root, "package.json")) as { dependencies?: Record<string, string> };
  const lock = readJson(join(root, "package-lock.json")) as { packages?: Record<string, { version?: string }> };
  return Object.keys(manifest.dependencies ?? {}).filter((name) => {
    const path = join(root, "node_modules", name, "package.json");
    if (!existsSync(path)) return true;
    const locked = lock.packages?.[`node_modules/${name}`]?.version;
    return locked !== undefined && (readJson(path) as { version?: string }).version !== locked;
  });
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ActionError(
      `the action's checkout is incomplete: cannot read ${path} (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
