import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError } from "./exit.js";
import { didYouMean } from "./hints.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * `util.parseArgs` (strict) with errors a user can act on: an unknown option gets a "did you
 * mean" and a pointer to the command's `--help`; every error is a usage error (exit 2).
 */
export function parseCommand<T extends Options>(command: string, argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    const names = Object.keys(options).map((o) => `--${o}`);
    const text = unknown
      ? `unknown option ${unknown}${didYouMean(unknown, names)}`
      : message.replace(/\. To specify.*$/s, "");
    throw new CliError(`${command}: ${text}\nSee: agtest ${command} --help`);
  }
}
