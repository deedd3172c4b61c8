import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startRuntime } from "./runtime.js";

const HELP = `agtest demo — the edge runtime on local workerd, with the sample agents

Usage: npm run demo [-- --json]

Starts the runtime in memory on a free port, deploys the fixture agents (ping, echo, spin,
memory-hog, forbidden-import), sends each a request, prints what happened, and stops.
Exit code 0 when every agent behaved as its fixture promises, 1 otherwise.

Options:
  --json      print the results as JSON instead of a table
  -h, --help  show this help`;

const FIXTURES = fileURLToPath(new URL("../../fixtures/agents/", import.meta.url));

/** What each sample agent must do: the demo is also a smoke test of the runtime. */
const CASES = [
  { agent: "ping", content: "ping", expect: "inform: pong" },
  { agent: "echo", content: { hello: "world" }, expect: 'inform: {"hello":"world"}' },
  { agent: "cpu-burn", content: "100000", expect: "inform: 9592" },
  { agent: "spin", content: "go", expect: "failed: CpuLimitExceeded" },
  { agent: "memory-hog", content: "eat", expect: "failed: MemoryLimitExceeded" },
  { agent: "forbidden-import", content: "x", expect: "rejected: INVALID_WASM" },
] as const;

type Row = { agent: string; expected: string; got: string; ms: number; ok: boolean };

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { json: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const token = crypto.randomUUID();
  const log = values.json ? () => undefined : (line: string) => console.log(line);
  log("starting the runtime on workerd…");
  const runtime = await startRuntime({ port: 0, token, persistTo: false });
  const headers = { authorization: `Bearer ${token}` };
  const rows: Row[] = [];
  try {
    log(`runtime at ${runtime.url}`);
    for (const c of CASES) {
      const started = performance.now();
      const got = await exercise(runtime.url, headers, c.agent, c.content);
      const ms = Math.round(performance.now() - started);
      rows.push({ agent: c.agent, expected: c.expect, got, ms, ok: got === c.expect });
      log(`  ${c.agent}: ${got}`);
    }
  } finally {
    await runtime.stop();
  }
  if (values.json) console.log(JSON.stringify({ results: rows }, null, 2));
  else {
    console.log();
    printTable(
      ["agent", "expected", "got", "deploy+reply", ""],
      rows.map((r) => [r.agent, r.expected, r.got, `${r.ms} ms`, r.ok ? "ok" : "UNEXPECTED"]),
    );
  }
  return rows.every((r) => r.ok) ? 0 : 1;
}

function printTable(head: string[], body: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  console.log(line(head));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of body) console.log(line(row));
}

async function exercise(
  url: string,
  headers: Record<string, string>,
  agent: string,
  content: unknown,
): Promise<string> {
  const deployed = await fetch(`${url}/v1/agents?name=${agent}`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/wasm" },
    body: readFileSync(`${FIXTURES}${agent}.wasm`),
  });
  if (deployed.status !== 201) {
    const body = (await deployed.json()) as { error: { code: string } };
    return `rejected: ${body.error.code}`;
  }
  const res = await fetch(`${url}/v1/messages?wait=5000`, {
    method: "POST",
    headers,
    body: JSON.stringify({ performative: "request", sender: "demo", receiver: agent, content, reply_with: "r-1" }),
  });
  const reply = (await res.json()) as { performative?: string; content?: unknown };
  if (reply.performative === "failure") {
    const record = (await (await fetch(`${url}/v1/agents/${agent}`, { headers })).json()) as {
      termination_reason: string | null;
    };
    return `failed: ${record.termination_reason ?? String(reply.content)}`;
  }
  const text = typeof reply.content === "string" ? reply.content : JSON.stringify(reply.content);
  return `${reply.performative}: ${text}`;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`agtest demo: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
