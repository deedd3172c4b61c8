import { VERSION } from "../../protocol/version.js";
import { adapterCommand } from "./commands/adapter.js";
import { deployCommand } from "./commands/deploy.js";
import { pairCommand } from "./commands/pair.js";
import { runCommand } from "./commands/run.js";
import { serveCommand } from "./commands/serve.js";
import { suitesCommand } from "./commands/suites.js";
import { validateCommand } from "./commands/validate.js";
import { CliError, EXIT, type ExitCode } from "./exit.js";
import { didYouMean } from "./hints.js";
import { processIo, type Io } from "./io.js";

/** `agtest --help`. */
export const HELP = `agtest — know before you merge whether your agent still speaks to others

Usage: agtest COMMAND [options]     (agtest COMMAND --help for each command)

Commands:
  run        run a test suite against an agent; print the scores, write the interop profile
  pair       who works with whom: every protocol scenario between every two agents (a matrix)
  suites     list the test suites, their junctions (cluster.side) and tests
  adapter    agtalk transport adapters: agtest adapter http --outbox D --inbox D --target URL
  validate   check a .wasm against the agent ABI agtest/1, offline
  deploy     deploy a .wasm to an agtest runtime
  serve      run the edge runtime locally (same as npm start)

Examples:
  agtest run --agent fixtures/agents/ping.wasm --out profile.json
  agtest run --endpoint http://localhost:9000/agent --name my-agent --agact ./agact.sh
  agtest suites fipa
  agtest pair fixtures/agents/reference.wasm fixtures/agents/seller.wasm

Exit codes:
  0    ok (and the --fail-on policy holds)
  1    run: a claimed junction scored below --fail-on; validate: the module is invalid
  2    usage or config error (the message names the flag or config key)
  3    agent unreachable, embedded runtime would not start, or deploy refused
  4    backchannel broken, or it said yes to an action that does not exist
  70   internal error in agtest (please report it)
  130  interrupted
`;

const COMMANDS: Record<string, (argv: string[], io: Io) => Promise<ExitCode>> = {
  run: runCommand,
  pair: pairCommand,
  suites: suitesCommand,
  adapter: adapterCommand,
  validate: validateCommand,
  deploy: deployCommand,
  serve: (argv) => serveCommand(argv),
};

/**
 * The `agtest` command line. Expected failures ({@link CliError}) print one message and map to
 * their exit code; only a bug in agtest prints a stack trace (exit 70).
 */
export async function main(argv: string[], io: Io = processIo): Promise<ExitCode> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    const topic = command === "help" ? rest[0] : undefined;
    if (topic && COMMANDS[topic]) return main([topic, "--help"], io);
    io.out(HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === "--version" || command === "-v") {
    io.out(`agtest ${VERSION}\n`);
    return EXIT.ok;
  }
  const handler = COMMANDS[command];
  try {
    if (handler === undefined)
      throw new CliError(
        `unknown command "${command}"${didYouMean(command, Object.keys(COMMANDS))}\nSee: agtest --help`,
      );
    return await handler(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`agtest: ${error.message}\n`);
      return error.code;
    }
    io.err(`agtest: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.internal;
  }
}
