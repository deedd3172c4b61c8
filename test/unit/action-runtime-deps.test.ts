import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Source folders the embedded runtime bundles on the runner (wrangler bundles the worker from them). */
const RUNTIME_SOURCES = ["worker", "protocol", "harness/core", "suites"];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** Bare specifiers a file imports at run time (`import type` is erased, so it does not count). */
function runtimeImports(text: string): string[] {
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm),
    ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => m[1] as string);
  return specifiers.filter((s) => !s.startsWith(".") && !s.startsWith("node:") && !s.startsWith("cloudflare:"));
}

const packageOf = (specifier: string) =>
  specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : (specifier.split("/")[0] as string);

describe("what the GitHub Action installs for the embedded runtime", () => {
  it("every package the runtime's sources import is a production dependency (the action runs npm ci --omit=dev)", () => {
    const { dependencies = {} } = JSON.parse(readFileSync("package.json", "utf8")) as {
      dependencies?: Record<string, string>;
    };
    const missing = RUNTIME_SOURCES.flatMap(sources).flatMap((file) =>
      runtimeImports(readFileSync(file, "utf8"))
        .map(packageOf)
        .filter((pkg) => !(pkg in dependencies) && !/\.(wasm|html|txt|bin)$/.test(pkg))
        .map((pkg) => `${file}: ${pkg}`),
    );
    expect(missing, "move these to package.json `dependencies` (the action installs only those on the runner)").toEqual(
      [],
    );
  });
});
