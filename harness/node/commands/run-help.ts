import { optionLines } from "../flags.js";
import { RUN_FLAGS } from "./run-options.js";

/** `agtest run --help`: the option lines come from the flag table (`RUN_FLAGS`). */
export const RUN_HELP = `agtest run — run a test suite against an agent and score its interop junctions

Usage:
  agtest run --agent FILE.wasm [options]                 host it on an embedded runtime (default)
  agtest run --endpoint URL --name NAME [options]        direct HTTP to an agent
  agtest run --outbox DIR --inbox DIR --name NAME [...]  agtalk folders (with an adapter)
  agtest run --relay URL --relay-token T --endpoint URL  send over HTTP, receive via an edge relay

Agent:
${optionLines(RUN_FLAGS, "agent")}

Backchannel (how the agent is asked to act; setup/teardown run around every test):
${optionLines(RUN_FLAGS, "backchannel")}

Suite and scoring:
${optionLines(RUN_FLAGS, "suite")}

Output:
${optionLines(RUN_FLAGS, "output")}

Exit codes: 0 ok, 1 --fail-on tripped, 2 usage or config error, 3 agent unreachable or deploy
failed, 4 backchannel broken or says yes to everything, 130 interrupted.
`;
