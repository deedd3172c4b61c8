import { readFile } from "node:fs/promises";
import { WasmValidationError, validateModule } from "../../../worker/wasm/index.js";
import { parseCommand } from "../args.js";
import { CliError, EXIT, type ExitCode } from "../exit.js";
import type { Io } from "../io.js";

const HELP = `agtest validate — check a WebAssembly module against the agent ABI agtest/1, offline

Usage: agtest validate FILE.wasm [--memory-mib N] [--json]

Runs the runtime's own deploy checks (pure TypeScript, nothing started): the module parses,
imports only agent.send/log/now/random (and env.abort), exports memory, alloc, handle (and
optionally init) with the right signatures, and its initial memory fits the limit.
Prints the imports and exports, then OK or the precise problem. Exit 0 valid, 1 invalid,
2 usage error (e.g. the file cannot be read).

Options:
      --memory-mib N   the agent's memory limit in MiB (default 16, the runtime's default)
      --json           machine-readable output
  -h, --help           show this help
`;

/** `agtest validate`. */
export async function validateCommand(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommand(
    "validate",
    argv,
    { "memory-mib": { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    true,
  );
  if (values.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  const file = positionals[0];
  if (file === undefined || positionals.length > 1)
    throw new CliError("validate: give exactly one FILE.wasm\nSee: agtest validate --help");
  const mib = Number(values["memory-mib"] ?? 16);
  if (!Number.isInteger(mib) || mib < 1 || mib > 4096)
    throw new CliError(`--memory-mib: expected a whole number of MiB from 1 to 4096, got "${values["memory-mib"]}"`);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (error) {
    throw new CliError(`validate: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    const info = validateModule(bytes, { maxMemoryPages: mib * 16 });
    if (values.json) io.out(`${JSON.stringify({ file, valid: true, ...info }, null, 2)}\n`);
    else {
      io.out(`${file}: ${bytes.byteLength} bytes, ${info.functions} functions\n`);
      io.out(`  imports: ${info.imports.map((i) => `${i.module}.${i.name} (${i.kind})`).join(", ") || "none"}\n`);
      io.out(`  exports: ${info.exports.map((e) => `${e.name} (${e.kind})`).join(", ")}\n`);
      const memory = info.memory
        ? `${info.memory.initial} pages initial, ${info.memory.maximum ?? "no"} maximum`
        : "none";
      io.out(`  memory:  ${memory}\nOK: valid agtest/1 agent${info.hasInit ? " (with init)" : ""}\n`);
    }
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof WasmValidationError)) throw error;
    if (values.json) io.out(`${JSON.stringify({ file, valid: false, problem: error.message }, null, 2)}\n`);
    else io.out(`${file}: INVALID: ${error.message}\n`);
    return EXIT.policy;
  }
}
