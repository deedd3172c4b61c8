import type { Suite } from "../core/index.js";
import { CliError } from "./exit.js";
import { didYouMean } from "./hints.js";
import { isSuitePath, loadSuiteFile } from "./suite-file.js";

/**
 * The suites agtest ships, loaded when a command needs them. Suites build on the harness core
 * (ARCHITECTURE.md: `harness <- suites`); only this CLI edge reaches back for them, lazily, and
 * with a literal specifier so bundlers (the action) still include them.
 */
export async function loadSuites(): Promise<Readonly<Record<string, Suite>>> {
  const { SUITES } = await import("../../suites/index.js");
  return SUITES;
}

/**
 * The built-in suite with `id`, or the suite file `id` names (a path: it has a `/` or a `.`);
 * a usage error naming the known ones, or the file and what is wrong with it, otherwise.
 */
export async function loadSuite(id: string, key = "--suite"): Promise<Suite> {
  if (isSuitePath(id)) return loadSuiteFile(id, key);
  const suites = await loadSuites();
  const suite = suites[id];
  if (suite === undefined) {
    const known = Object.keys(suites);
    throw new CliError(
      `${key}: unknown suite "${id}"${didYouMean(id, known)}; known: ${known.join(", ")} (or a suite file: ./my-suite.js)`,
    );
  }
  return suite;
}
