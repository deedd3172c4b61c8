/**
 * agtest's exit codes, distinct so scripts and CI can tell what went wrong (also listed in
 * `agtest --help`).
 */
export const EXIT = {
  /** Everything ran and the `--fail-on` policy holds. */
  ok: 0,
  /** The `--fail-on` policy tripped: a claimed junction scored below it. */
  policy: 1,
  /** Bad command line or config file. */
  usage: 2,
  /** The agent cannot be reached, the runtime would not start, or the deploy failed. */
  unreachable: 3,
  /** The backchannel is broken or says yes to everything. */
  backchannel: 4,
  /** A bug in agtest (the message says what; please report it). */
  internal: 70,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

/** One of {@link EXIT}'s codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An expected failure: printed as `agtest: <message>` (no stack trace) and exits with `code`. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly code: ExitCode = EXIT.usage,
  ) {
    super(message);
  }
}
