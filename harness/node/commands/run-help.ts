/** `agtest run --help`. */
export const RUN_HELP = `agtest run — run a test suite against an agent and score its interop junctions

Usage:
  agtest run --agent FILE.wasm [options]                 host it on an embedded runtime (default)
  agtest run --endpoint URL --name NAME [options]        direct HTTP to an agent
  agtest run --outbox DIR --inbox DIR --name NAME [...]  agtalk folders (with an adapter)
  agtest run --relay URL --relay-token T --endpoint URL  send over HTTP, receive via an edge relay

Agent:
      --agent FILE.wasm     start the edge runtime in this process, deploy FILE, test it there
      --fresh-isolates      with --agent: every delivery as in a new isolate, as the edge may do
      --name NAME           the agent's address (default: the file name for --agent, NAME of a
                            runtime's /v1/agents/NAME/inbox for --endpoint, else the URL)
      --endpoint URL        the agent's HTTP endpoint; replies come in response bodies and on
                            a loopback server given as reply_to
      --outbox DIR          agtalk: write messages as files here (an adapter sends them)
      --inbox DIR           agtalk: read messages an adapter puts here
      --self ADDRESS        the harness's own address as the agent sees it (default agtest;
                            with agtalk, the adapter's reply URL)
      --relay URL           an agtest runtime whose /v1/agtalk relay receives for the harness
      --relay-token T       its bearer token (default $AGTEST_TOKEN)

Backchannel (how the agent is asked to act; setup/teardown run around every test):
      --agact CMD           run CMD ACTION [PARAMS...]: exit 0 ok, 1 broken, 127 unsupported
      --backchannel X       an http(s) URL (Aries-style POST URL/agent/command/agact/ACTION),
                            "message" (agact requests sent to the agent itself, ontology agact),
                            or "none". Default: "message" with --agent, else "none".
                            With none, active junctions are not run (absent = divergent).

Suite and scoring:
      --suite ID|FILE       the suite: a built-in id (default fipa; see agtest suites) or a
                            suite file (./my-suite.mjs, .js, .ts: see docs/suites.md)
      --tests GLOB,...      run only tests whose id (or junction) matches (* any, ? one char)
      --skip GLOB=REASON    leave matching tests out, saying why (repeatable; shown in reports;
                            they never fail the run). Config: "skip": {"GLOB": "REASON"}
      --features A,B        claimed junctions, e.g. core.passive (default: every junction the
                            backchannel allows). Unclaimed junctions are absent from the profile.
      --timeout MS          every test's time budget (default: each test's own, usually 5000)
      --silence MS          the shortest wait for "nothing more arrives" from an agent the
                            runtime does not host (default 300, scaled up with --timeout); the
                            wait is at least 4x the p99 round trip measured in the run. A hosted
                            agent's silence is the runtime's word (quiescence), not a wait
      --parallel N          with --agent: run N junctions side by side, each against its own
                            deployed copy of the agent (default 4; 1: one after the other)
      --fail-on P           exit 1 when a claimed junction is divergent (default), below
                            interoperable ("constrained"), scores worse than in --base
                            ("regression"), or never. Config "known": {"ID": "reason"}
                            lists junctions or tests expected to fail: they never fail it
      --base FILE           a previous run's profile (--out) to compare with

Output:
      --format F            table (default) or json (the profile) on stdout; progress on stderr
      --out FILE            write the interop profile (JSON)
      --junit FILE          write JUnit XML
      --markdown FILE       write a Markdown summary (for a pull request comment)
      --config FILE         JSON config; keys are the flag names ("fail-on", "relay-token"),
                            "features" an array; paths relative to the file; flags override
  -h, --help                show this help

Exit codes: 0 ok, 1 --fail-on tripped, 2 usage or config error, 3 agent unreachable or deploy
failed, 4 backchannel broken or says yes to everything, 130 interrupted.
`;
