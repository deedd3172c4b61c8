import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import * as nodeModule from "node:module";
import { dirname, extname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { defineSuite, SuiteDefinitionError, type Suite, type SuiteSpec } from "../core/index.js";
import { CliError } from "./exit.js";

/** Set by the package and action builds (esbuild `define`): the suite API's file beside the bundle's chunks. */
declare const __AGTEST_SUITE_API__: string | undefined;

const EXTENSIONS = [".js", ".mjs", ".ts", ".mts"];
const TYPESCRIPT = [".ts", ".mts"];

/** Whether a `--suite` value names a file rather than a built-in suite (ids have neither `/` nor `.`). */
export function isSuitePath(value: string): boolean {
  return /[\\/.]/.test(value);
}

/**
 * Loads a suite written by a user: an ES module whose default export (or export `suite`) is
 * what `defineSuite` returned, or the spec it takes. `.js`/`.mjs` always; `.ts`/`.mts` when
 * Node can load TypeScript (Node 22.18+ strips types; else through tsx, taken from the agtest
 * process when it has it or from the suite's own folder). Every problem is a {@link CliError}
 * (exit 2) naming `key`, the file, and where it can the line or the test.
 */
export async function loadSuiteFile(path: string, key = "--suite"): Promise<Suite> {
  const file = resolve(path);
  const shown = relative(process.cwd(), file) || path;
  const problem = (text: string) => new CliError(`${key}: ${shown}: ${text}`);
  if (!existsSync(file) || !statSync(file).isFile()) throw problem("no such file");
  const ext = extname(file);
  if (!EXTENSIONS.includes(ext)) throw problem(`a suite file is an ES module: ${EXTENSIONS.join(", ")}`);
  mapSuiteApi();
  const url = pathToFileURL(file).href;
  let loaded: Record<string, unknown>;
  try {
    loaded = await importSuite(url, file, ext);
  } catch (error) {
    if (error instanceof CliError) throw problem(error.message);
    if (ext === ".ts" && error instanceof Error && /require\(\) ES Module/.test(error.message))
      throw problem(
        'it was loaded as CommonJS, but a suite is an ES module: name it .mts, or set "type": "module" in its package.json',
      );
    throw problem(describeLoadError(error, url, file));
  }
  const value = loaded.default ?? loaded.suite;
  if (value === undefined)
    throw problem("exports no suite: end it with `export default defineSuite({ ... })` (import from agtest/suite)");
  if (isSuite(value)) return value;
  if (value !== null && typeof value === "object" && "clusters" in value) {
    try {
      return defineSuite(value as SuiteSpec);
    } catch (error) {
      throw problem(describeLoadError(error, url, file));
    }
  }
  throw problem("its default export is not a suite: export what `defineSuite({ ... })` returns");
}

async function importSuite(url: string, file: string, ext: string): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (!TYPESCRIPT.includes(ext) || (error as NodeJS.ErrnoException).code !== "ERR_UNKNOWN_FILE_EXTENSION")
      throw error;
  }
  // This Node cannot load TypeScript by itself: use tsx from the suite's project if it has it,
  // else agtest's own (a development checkout has it).
  let api: string;
  try {
    // tsx's ES module entry (require.resolve would give its CommonJS one).
    const tsxOf = (from: string) => nodeModule.createRequire(from).resolve("tsx/package.json");
    let manifest: string;
    try {
      manifest = tsxOf(file);
    } catch {
      manifest = tsxOf(fileURLToPath(import.meta.url));
    }
    const { exports } = JSON.parse(readFileSync(manifest, "utf8")) as {
      exports: Record<string, { import?: { default?: string } }>;
    };
    const entry = exports["./esm/api"]?.import?.default;
    if (entry === undefined) throw new Error("tsx without an esm/api entry");
    api = join(dirname(manifest), entry);
  } catch {
    throw new CliError(
      `a TypeScript suite needs a loader: install tsx beside it (npm install --save-dev tsx), use Node 22.18 or later (it strips types), or compile the suite to .js`,
    );
  }
  const { register } = (await import(pathToFileURL(api).href)) as { register: () => unknown };
  register();
  return (await import(`${url}?tsx`)) as Record<string, unknown>;
}

/** A validated suite, as `defineSuite` returns it (possibly from another copy of agtest). */
function isSuite(value: unknown): value is Suite {
  if (value === null || typeof value !== "object") return false;
  const s = value as Partial<Suite>;
  return (
    typeof s.id === "string" &&
    typeof s.uri === "string" &&
    Array.isArray(s.junctions) &&
    Array.isArray(s.tests) &&
    s.tests.every((t) => typeof t?.run === "function")
  );
}

/**
 * What went wrong loading the file, with where: a syntax error's `file:line`, else the first
 * stack frame inside the suite file; a suite definition error as defineSuite words it.
 */
export function describeLoadError(error: unknown, url: string, file: string): string {
  if (error instanceof SuiteDefinitionError || (error instanceof Error && error.name === "SuiteDefinitionError"))
    return error.message;
  if (!(error instanceof Error)) return `loading it threw ${String(error)}`;
  const stack = error.stack ?? "";
  const escaped = url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const at = new RegExp(`${escaped}(?:\\?tsx)?:(\\d+)(?::(\\d+))?`).exec(stack);
  let where = at ? ` (line ${at[1]}${at[2] ? `, column ${at[2]}` : ""})` : "";
  // Node's syntax errors in ES modules do not say where; its syntax check does.
  if (!at && error instanceof SyntaxError && /\.m?js$/.test(file)) where = syntaxLocation(file);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ERR_MODULE_NOT_FOUND") return `${error.message.replace(/ imported from \S+$/, "")}`;
  return `${error.name}: ${error.message}${where}`;
}

/** ` (line N: the source line)` from `node --check FILE`, or "" if it finds nothing. */
function syntaxLocation(file: string): string {
  const check = spawnSync(process.execPath, ["--check", file], { encoding: "utf8", timeout: 10_000 });
  const [first = "", source = ""] = check.stderr.split("\n");
  const line = /:(\d+)$/.exec(first)?.[1];
  return line ? ` (line ${line}: ${source.trim().slice(0, 120)})` : "";
}

let mapped = false;

/**
 * Maps the specifier `agtest/suite` to this agtest's own suite API for every module loaded from
 * now on (a resolve hook, `module.register`): a suite file then needs no agtest installed beside
 * it, and shares this process's classes (a `TestError` it throws is the runner's `TestError`).
 * On a Node without `module.register` (before 20.6) the import resolves as usual.
 */
function mapSuiteApi(): void {
  if (mapped) return;
  mapped = true;
  const register = (nodeModule as { register?: (specifier: string, parent?: string) => void }).register;
  if (typeof register !== "function") return;
  const target =
    typeof __AGTEST_SUITE_API__ === "string"
      ? new URL(__AGTEST_SUITE_API__, import.meta.url).href
      : new URL("../suite.ts", import.meta.url).href;
  const hook = `export async function resolve(specifier, context, next) {
  if (specifier === "agtest/suite") return next(${JSON.stringify(target)}, context);
  return next(specifier, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}
