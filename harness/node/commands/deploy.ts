import { readFile } from "node:fs/promises";
import { parseCommand } from "../args.js";
import { agentNameOf } from "../channels/embedded.js";
import { deployAgent } from "../deploy.js";
import { CliError, EXIT, type ExitCode } from "../exit.js";
import type { Io } from "../io.js";

const HELP = `agtest deploy — deploy an agent to an agtest runtime

Usage: agtest deploy FILE.wasm --url URL [--token T] [--name NAME] [--json]

Options:
      --url URL      the runtime (e.g. http://127.0.0.1:8787 from npm start)
      --token T      its bearer token (default $AGTEST_TOKEN)
      --name NAME    the agent's name (default: the file name without .wasm)
      --json         print the agent record as JSON
  -h, --help         show this help

Exit codes: 0 deployed, 2 usage error, 3 runtime unreachable or deploy refused (the runtime's
reason is printed, e.g. INVALID_WASM: forbidden import ...).
`;

/** `agtest deploy`. */
export async function deployCommand(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommand(
    "deploy",
    argv,
    {
      url: { type: "string" },
      token: { type: "string" },
      name: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    true,
  );
  if (values.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  const file = positionals[0];
  if (file === undefined || positionals.length > 1)
    throw new CliError("deploy: give exactly one FILE.wasm\nSee: agtest deploy --help");
  if (!values.url || !URL.canParse(values.url)) throw new CliError("--url: the runtime's http(s) URL is required");
  const token = values.token ?? process.env.AGTEST_TOKEN;
  if (!token) throw new CliError("--token: the runtime's bearer token is required (or set AGTEST_TOKEN)");
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (error) {
    throw new CliError(`deploy: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const record = await deployAgent({ url: values.url, token, name: values.name ?? agentNameOf(file), bytes });
  io.out(
    values.json
      ? `${JSON.stringify(record, null, 2)}\n`
      : `deployed ${record.name} version ${record.version} (${record.state})\n`,
  );
  return EXIT.ok;
}
