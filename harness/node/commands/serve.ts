import { serve } from "../../../worker/local/serve.js";
import { CliError, EXIT, type ExitCode } from "../exit.js";

/** `agtest serve`: the local runtime, exactly as `npm start`. */
export async function serveCommand(argv: string[]): Promise<ExitCode> {
  let code: number;
  try {
    code = await serve(argv, "agtest serve");
  } catch (error) {
    throw new CliError(`could not start the runtime: ${error instanceof Error ? error.message : String(error)}`, EXIT.unreachable);
  }
  return code === 0 ? EXIT.ok : EXIT.usage;
}
