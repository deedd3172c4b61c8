import { CliError, EXIT, type ExitCode } from "../exit.js";

/** `agtest serve`: the local runtime, exactly as `npm start`. */
export async function serveCommand(argv: string[]): Promise<ExitCode> {
  let code: number;
  try {
    const { serve } = await import("../../../worker/local/serve.js");
    code = await serve(argv, "agtest serve");
  } catch (error) {
    throw new CliError(
      `could not start the runtime: ${error instanceof Error ? error.message : String(error)}`,
      EXIT.unreachable,
    );
  }
  return code === 0 ? EXIT.ok : EXIT.usage;
}
