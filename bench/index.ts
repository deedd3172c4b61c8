import { parseArgs } from "node:util";
import { DEFAULT_FUEL } from "../worker/limits.js";
import { benchAction } from "./action.js";
import { benchBundles } from "./bundles.js";
import { benchFuel } from "./fuel.js";
import { benchDurable } from "./durable.js";
import { benchAgtalk, benchCli, benchSuite, type SuitePhases } from "./harness.js";
import { benchLoad } from "./load.js";
import { benchMessaging } from "./messaging.js";
import { benchPath } from "./path.js";
import { benchRuntime } from "./runtime.js";
import { fmt } from "./stats.js";

const SECTIONS = ["fuel", "bundles", "runtime", "path", "messaging", "load", "harness", "durable", "action"] as const;
type Section = (typeof SECTIONS)[number];
type Row = [string, string, string, string];

const HELP = `agtest bench — figures measured side by side in one run

Usage: npm run bench [-- --rounds N] [-- --json] [-- --only SECTION,...]

Sections: ${SECTIONS.join(", ")} (default: all). The message path beside its floor alone:
  npm run bench -- --only path,messaging

Each comparison alternates its two sides in the same loop, so both see the same machine load;
the ratio is what to read, not the absolute milliseconds.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: "string", default: "200" },
      json: { type: "boolean", default: false },
      only: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return void console.log(HELP);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 2)
    throw new Error(`--rounds must be an integer >= 2, got ${values.rounds}`);
  const only = values.only === undefined ? null : new Set(values.only.split(",").map((s) => s.trim()));
  for (const s of only ?? []) {
    if (!(SECTIONS as readonly string[]).includes(s))
      throw new Error(`--only: unknown section \`${s}\` (sections: ${SECTIONS.join(", ")})`);
  }
  const want = (s: Section) => only === null || only.has(s);
  const progress = values.json ? () => undefined : (s: string) => process.stderr.write(`${s}\n`);

  if (want("fuel")) progress("fuel overhead and rates (Node: kernels, cpu-burn fixture, bulk memory, host calls)…");
  const fuel = !want("fuel") ? undefined : await benchFuel(Math.max(10, Math.floor(rounds / 10)));
  if (want("bundles")) progress("bundle sizes (wrangler deploy --dry-run, action/dist)…");
  const bundles = !want("bundles") ? undefined : await benchBundles();
  if (want("runtime")) progress("runtime (local workerd)…");
  const runtime = !want("runtime") ? undefined : await benchRuntime(rounds);
  if (want("path")) progress("message path beside its floor: minimal DO + Dynamic Worker workers (local workerd)…");
  const path = !want("path") ? undefined : await benchPath(Math.max(30, Math.floor(rounds / 2)));
  if (want("messaging")) progress("messaging (durable path, local workerd)…");
  const messaging = !want("messaging") ? undefined : await benchMessaging(Math.max(4, Math.floor(rounds / 20)));
  if (want("load")) progress("load (8 senders, 4 echo agents, local workerd)…");
  const load = !want("load")
    ? undefined
    : await benchLoad({ senders: 8, seconds: Math.max(2, Math.floor(rounds / 40)), agents: 4 });
  if (want("harness")) progress("harness: the fipa suite against the reference agent, agtalk folder round trip…");
  const suite = !want("harness") ? undefined : await benchSuite();
  const lanes = !want("harness") ? undefined : await benchSuite(4);
  // Three runs of each, interleaved: the medians (the default runs 4 junctions side by side).
  const cliRuns: { ms: number; code: number | null }[] = [];
  const serialRuns: { ms: number; code: number | null }[] = [];
  for (let i = 0; want("harness") && i < 3; i++) {
    cliRuns.push(await benchCli());
    serialRuns.push(await benchCli(["--parallel", "1"]));
  }
  const cli = median(cliRuns);
  const cliSerial = median(serialRuns);
  const agtalk = !want("harness") ? undefined : await benchAgtalk(Math.max(10, Math.floor(rounds / 10)));
  if (want("durable")) progress("durable agents: checkpoint cost against memory size…");
  const durable = !want("durable") ? undefined : await benchDurable(Math.max(6, Math.floor(rounds / 10)));
  if (load && load.roundTrip.lost + load.fire.lost + load.roundTrip.errors + load.fire.errors > 0) process.exitCode = 1;

  const rows: Row[] = [
    ...(runtime
      ? ([
          [
            "request→reply to ping through the runtime (p50 / p99)",
            `${fmt(runtime.reply.p50)} / ${fmt(runtime.reply.p99)} ms`,
            `bare Hono route ${fmt(runtime.bare.p50)} / ${fmt(runtime.bare.p99)} ms`,
            `×${fmt(runtime.reply.p50 / runtime.bare.p50)}`,
          ],
        ] as Row[])
      : []),
    ...(path
      ? ([
          [
            "request→reply to ping vs floor (c) 1 DO + isolate / (d) 2 DOs + isolate (p50 / p99)",
            `${fmt(path.latency.agtest.p50)} / ${fmt(path.latency.agtest.p99)} ms`,
            `(c) ${fmt(path.latency.floorC.p50)} / ${fmt(path.latency.floorC.p99)} ms, (d) ${fmt(path.latency.floorD.p50)} / ${fmt(path.latency.floorD.p99)} ms`,
            `×${fmt(path.latency.agtest.p50 / path.latency.floorD.p50)} of (d) (goal ≤ 1.5)`,
          ],
        ] as Row[])
      : []),
    ...(path
      ? ([
          [
            `request→reply, ${path.throughput.clients} clients: replies/s vs floor (c) / (d)`,
            `${fmt(path.throughput.agtest)}/s`,
            `(c) ${fmt(path.throughput.floorC)}/s, (d) ${fmt(path.throughput.floorD)}/s`,
            `×${fmt(path.throughput.agtest / path.throughput.floorD)} of (d) (goal ≥ 0.7)`,
          ],
        ] as Row[])
      : []),
    ...(runtime
      ? ([
          [
            "cold deploy → first reply (p50 / max of n)",
            `${fmt(runtime.cold.p50)} / ${fmt(runtime.cold.p99)} ms (n=${runtime.cold.n})`,
            "",
            "",
          ],
        ] as Row[])
      : []),
    ...(messaging
      ? ([
          [
            "agent→agent messages/s, durable path (echo↔echo loops)",
            `${fmt(messaging.runtimePerSec)}/s (n=${messaging.delivered})`,
            `in-process handle ${fmt(messaging.inProcessPerSec)}/s`,
            `×${fmt(messaging.inProcessPerSec / messaging.runtimePerSec)} slower`,
          ],
        ] as Row[])
      : []),
    ...(messaging
      ? ([
          [
            "request→reply to ping, durable path (p50 / p99)",
            `${fmt(messaging.reply.p50)} / ${fmt(messaging.reply.p99)} ms`,
            `in-process ${fmt(messaging.replyInProcess.p50 * 1000)} / ${fmt(messaging.replyInProcess.p99 * 1000)} µs`,
            `×${fmt(messaging.reply.p50 / messaging.replyInProcess.p50)}`,
          ],
        ] as Row[])
      : []),
    ...(load
      ? [load.roundTrip, load.fire].map((l): [string, string, string, string] => [
          `load, ${l.mode === "fire" ? "acknowledged (fire and forget)" : "request→reply"}: ${l.senders} senders × ${l.seconds} s → ${l.agents} agents (p50 / p99)`,
          `${fmt(l.throughput)}/s, ${fmt(l.latency.p50)} / ${fmt(l.latency.p99)} ms`,
          `${l.acknowledged} acked, ${l.lost} lost, ${l.duplicates} dup, ${l.errors} errors`,
          l.lost === 0 && l.errors === 0 && l.duplicates === 0 ? "ok" : "FAILED",
        ])
      : []),
    ...(cli && cliSerial
      ? ([
          [
            "agtest run --agent fixtures/agents/reference.wasm (wall, a process, median of 3)",
            `${fmt(cli.ms / 1000)} s (exit ${cli.code})`,
            `--parallel 1: ${fmt(cliSerial.ms / 1000)} s (exit ${cliSerial.code})`,
            `goal ≤ 5 s: ${cli.ms <= 5_000 && cli.code === 0 ? "met" : "NOT MET"}`,
          ],
        ] as Row[])
      : []),
    ...(suite
      ? ([
          [
            "  its phases in process, one junction after the other: start / deploy / suite / close",
            phases(suite),
            `${suite.tests} tests, ${suite.junctions} junctions`,
            "",
          ],
        ] as Row[])
      : []),
    ...(suite && lanes && agtalk
      ? ([
          [
            "  the same, junctions side by side (4 lanes, the default)",
            phases(lanes),
            "",
            `×${fmt(suite.total / lanes.total)}`,
          ],
          [
            "agtalk folder round trip via the HTTP adapter (p50 / p99)",
            `${fmt(agtalk.folders.p50)} / ${fmt(agtalk.folders.p99)} ms`,
            `direct HTTP ${fmt(agtalk.direct.p50)} / ${fmt(agtalk.direct.p99)} ms`,
            `×${fmt(agtalk.folders.p50 / agtalk.direct.p50)}`,
          ],
        ] as Row[])
      : []),
    ...(durable
      ? durable.map((d): [string, string, string, string] => [
          `count message, ${d.mib} MiB of memory checkpointed${d.fresh ? ", fresh isolate each (restore too)" : ""} (p50 / p99)`,
          `${fmt(d.reply.p50)} / ${fmt(d.reply.p99)} ms`,
          `1 MiB ${fmt(d.baseline.p50)} / ${fmt(d.baseline.p99)} ms`,
          `×${fmt(d.reply.p50 / d.baseline.p50)}`,
        ])
      : []),
    ...(fuel
      ? fuel.overheads.map((o): [string, string, string, string] => [
          `fuel overhead: ${o.name}, instrumented vs plain (p50; ratio: median of paired rounds)`,
          `${fmt(o.fueled.p50)} ms`,
          `plain ${fmt(o.plain.p50)} ms`,
          `×${fmt(o.ratio)}`,
        ])
      : []),
    ...(fuel
      ? fuel.rates.map((r): [string, string, string, string] => [
          `fuel rate: ${r.name}`,
          `${fmt(r.fuelPerMs / 1e6)}M fuel/ms`,
          `default budget ${DEFAULT_FUEL / 1e6}M`,
          `lasts ≈${fmt(r.budgetMs)} ms`,
        ])
      : []),
    ...(bundles
      ? ([
          [
            "bundle: worker (wrangler deploy --dry-run) / action (action/dist)",
            `${fmt(bundles.worker / 1024)} KiB / ${fmt(bundles.action / 1024)} KiB`,
            "limit 1024 KiB each",
            bundles.worker <= 1024 * 1024 && bundles.action <= 1024 * 1024 ? "ok" : "OVER",
          ],
        ] as Row[])
      : []),
    ...(want("action")
      ? ([
          await benchAction(Math.max(5, Math.floor(rounds / 20))).then((a): [string, string, string, string] => [
            "GitHub Action: bundle size / start-up to an input error (p50)",
            `${fmt(a.bytes / 1024)} KiB in ${a.files} files / ${fmt(a.startup.p50)} ms`,
            `bare node ${fmt(a.bare.p50)} ms`,
            `×${fmt(a.startup.p50 / a.bare.p50)}`,
          ]),
        ] as Row[])
      : []),
  ];
  if (values.json) {
    console.log(
      JSON.stringify(
        { rounds, path, runtime, messaging, load, suite, lanes, cli, cliSerial, agtalk, durable, fuel, bundles },
        null,
        2,
      ),
    );
    return;
  }
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  console.log(`\nagtest bench (${rounds} rounds, ${new Date().toISOString()})\n`);
  for (const r of rows)
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join("   ")
        .trimEnd(),
    );
}

function phases(p: SuitePhases): string {
  return `${fmt(p.start / 1000)} / ${fmt(p.deploy / 1000)} / ${fmt(p.suite / 1000)} / ${fmt(p.close / 1000)} s = ${fmt(p.total / 1000)} s`;
}

main().catch((err: unknown) => {
  console.error(`agtest bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

/** The run of median wall time (undefined when there were none). */
function median<T extends { ms: number }>(runs: T[]): T | undefined {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)];
}
