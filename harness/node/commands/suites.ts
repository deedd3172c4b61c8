import { suiteDigest, type Suite } from "../../core/index.js";
import { parseCommand } from "../args.js";
import { EXIT, type ExitCode } from "../exit.js";
import type { Io } from "../io.js";
import { loadSuite, loadSuites } from "../suites.js";

const HELP = `agtest suites — list the test suites, their junctions and tests

Usage: agtest suites [ID | FILE] [--suite ID|FILE] [--json]

Lists every built-in suite (or suite ID, or the suite file FILE: ./my-suite.js, see
docs/suites.md): its URI and digest, each junction (cluster and side) with its tests (* marks
essential ones) and the agact actions the tests may ask for.

Options:
      --suite X   the suite to list: a built-in suite's id or a suite file (as agtest run takes it)
      --json      machine-readable output
  -h, --help      show this help
`;

/** `agtest suites`. */
export async function suitesCommand(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parseCommand(
    "suites",
    argv,
    { suite: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    true,
  );
  if (values.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  const one = values.suite ?? positionals[0];
  const suites = one ? [await loadSuite(one, values.suite ? "--suite" : "suites")] : Object.values(await loadSuites());
  const described = await Promise.all(suites.map(describe));
  if (values.json) {
    io.out(`${JSON.stringify({ suites: described }, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines: string[] = [];
  for (const s of described) {
    lines.push(`${s.id} ${s.version} — ${s.title}`, `  ${s.uri}  ${s.digest}`, "");
    for (const j of s.junctions) {
      lines.push(`  ${j.id}  (${j.tests.length} tests, ${j.tests.filter((t) => t.essential).length} essential)`);
      for (const t of j.tests)
        lines.push(`    ${t.essential ? "*" : " "} ${t.id.slice(j.id.length + 1).padEnd(40)} ${t.description}`);
    }
    const actions = Object.entries(s.actions);
    if (actions.length > 0) {
      lines.push("", "  agact actions (besides setup TEST-ID and teardown):");
      for (const [, a] of actions) lines.push(`    ${a.usage.padEnd(40)} ${a.description}`);
    }
    lines.push("");
  }
  lines.push("* essential: a junction with a failing essential test is divergent");
  io.out(`${lines.join("\n")}\n`);
  return EXIT.ok;
}

async function describe(suite: Suite) {
  return {
    id: suite.id,
    version: suite.version,
    uri: suite.uri,
    digest: await suiteDigest(suite),
    title: suite.title,
    actions: suite.actions,
    junctions: suite.junctions.map((j) => ({
      id: j.id,
      cluster: j.cluster,
      side: j.side,
      tests: j.tests.map((t) => ({ id: t.id, essential: t.essential, timeout: t.timeout, description: t.description })),
    })),
  };
}
