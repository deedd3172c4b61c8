import type { Suite } from "../core/index.js";
import { CliError } from "./exit.js";
import { didYouMean } from "./hints.js";

/**
 * The suites agtest ships, loaded when a command needs them. Suites build on the harness core
 * (ARCHITECTURE.md: `harness <- suites`); only this CLI edge reaches back for them, lazily, and
 * with a literal specifier so bundlers (the action) still include them.
 */
export async function loadSuites(): Promise<Readonly<Record<string, Suite>>> {
  const { SUITES } = await import("../../suites/index.js");
  return SUITES;
}

/** The suite with `id`; a usage error naming the known ones otherwise. */
export async function loadSuite(id: string, key = "--suite"): Promise<Suite> {
  const suites = await loadSuites();
  const suite = suites[id];
  if (suite === undefined) {
    const known = Object.keys(suites);
    throw new CliError(`${key}: unknown suite "${id}"${didYouMean(id, known)}; known: ${known.join(", ")}`);
  }
  return suite;
}
