import { startHttpAdapter } from "../agtalk/adapter-http.js";
import { parseCommand } from "../args.js";
import { CliError, EXIT, type ExitCode } from "../exit.js";
import type { Io } from "../io.js";

const HELP = `agtest adapter — agtalk transport adapters (HIPE 0015)

Usage: agtest adapter http --outbox DIR --inbox DIR --target URL [--listen PORT] [--host ADDR]

The http adapter sends every file the harness writes to the outbox, in creation order, as an
HTTP POST to the target, and deletes it once sent (failures are retried with backoff; an unsent
file is never deleted; a 4xx refusal is logged and the file dropped). Messages in POST response
bodies, and messages POSTed to the adapter's own server, become new files in the inbox.
It prints the URL it listens on: give it to the harness as --self so agents reply there.

Options:
      --outbox DIR     the harness's outbox (read and emptied by the adapter)
      --inbox DIR      the harness's inbox (written by the adapter)
      --target URL     where messages are POSTed (the agent's endpoint)
      --listen PORT    port for inbound messages (default: a free one)
      --host ADDR      address to bind (default 127.0.0.1)
      --quiet          do not log each message
  -h, --help           show this help

Runs until Ctrl-C.
`;

/** `agtest adapter http ...`. */
export async function adapterCommand(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommand(
    "adapter",
    argv,
    {
      outbox: { type: "string" },
      inbox: { type: "string" },
      target: { type: "string" },
      listen: { type: "string" },
      host: { type: "string" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    true,
  );
  if (values.help || positionals.length === 0) {
    io.out(HELP);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  if (positionals[0] !== "http" || positionals.length > 1)
    throw new CliError(`adapter: unknown adapter "${positionals.join(" ")}"; available: http`);
  if (!values.outbox || !values.inbox) throw new CliError("adapter http: --outbox DIR and --inbox DIR are required");
  if (!values.target || !/^https?:\/\//i.test(values.target) || !URL.canParse(values.target))
    throw new CliError("--target: the agent's http(s) URL is required");
  const listen = Number(values.listen ?? 0);
  if (!Number.isInteger(listen) || listen < 0 || listen > 65535)
    throw new CliError(`--listen: expected a port from 0 to 65535, got "${values.listen}"`);
  const adapter = await startHttpAdapter({
    outbox: values.outbox,
    inbox: values.inbox,
    target: values.target,
    listen,
    ...(values.host ? { host: values.host } : {}),
    log: values.quiet ? () => undefined : (line) => io.err(`agtest adapter: ${line}\n`),
  });
  io.out(`agtest adapter http: ${values.outbox} -> ${values.target}; replies to ${adapter.url} -> ${values.inbox}\n`);
  io.out(`reply URL: ${adapter.url}\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await adapter.close();
  return EXIT.ok;
}
