import { join } from "node:path";
import { parseArgs } from "node:util";
import { startRuntime } from "./runtime.js";
import { localToken } from "./token.js";

/** The help of the local server; `usage` is how it was invoked (`npm start --`, `agtest serve`). */
export function serveHelp(usage: string): string {
  return `agtest runtime — the edge runtime on local workerd

Usage: ${usage} [options]

Options:
  -p, --port N        port to listen on (default 8787; 0 picks a free port)
      --host ADDR     address to bind (default 127.0.0.1)
      --persist DIR   keep agents and mailboxes in DIR (default .agtest/state)
      --in-memory     keep nothing after exit
      --fresh-isolates  run every delivery as in a new agent isolate (AGTEST_FRESH_ISOLATES=1)
      --token TOKEN   bearer token (default: $AGTEST_TOKEN, else .dev.vars, else a new one saved there)
  -v, --verbose       show the runtime's own log
  -h, --help          show this help

Stop with Ctrl-C.`;
}

/**
 * Runs the local runtime until SIGINT/SIGTERM (what `npm start` and `agtest serve` do). Returns
 * the exit code: 0 after a clean stop, 2 for bad options.
 */
export async function serve(argv: string[], usage = "npm start --"): Promise<number> {
  const help = serveHelp(usage);
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by the parseArgs call that assigns it
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        port: { type: "string", short: "p", default: "8787" },
        host: { type: "string", default: "127.0.0.1" },
        persist: { type: "string", default: ".agtest/state" },
        "in-memory": { type: "boolean", default: false },
        "fresh-isolates": { type: "boolean", default: false },
        token: { type: "string" },
        verbose: { type: "boolean", short: "v", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (err) {
    console.error(`agtest runtime: ${(err as Error).message}\n\n${help}`);
    return 2;
  }
  if (args.help) {
    console.log(help);
    return 0;
  }
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`agtest runtime: --port must be an integer from 0 to 65535, got ${args.port}`);
    return 2;
  }
  const { token, source } = args.token
    ? { token: args.token, source: "--token" }
    : localToken(join(process.cwd(), ".dev.vars"));
  const runtime = await startRuntime({
    port,
    hostname: args.host,
    token,
    persistTo: args["in-memory"] ? false : args.persist,
    logLevel: args.verbose ? "info" : "warn",
    freshIsolates: args["fresh-isolates"],
  });
  console.log(`agtest runtime listening on ${runtime.url}`);
  console.log(`token (${source}): ${token}`);
  console.log(`try: curl -H "Authorization: Bearer ${token}" ${runtime.url}/v1/agents`);
  console.log("Ctrl-C to stop");
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  console.log("stopping…");
  await runtime.stop();
  return 0;
}
