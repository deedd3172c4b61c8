import type { InteropProfile } from "../profile.js";
import type {
  Exchange,
  OracleGap,
  PairCell,
  PairRole,
  PairScenario,
  ProtocolMatrix,
  UnsupportedRole,
} from "./types.js";

/** Whether the exchange failed for a reason put down to `role` that breaks no protocol rule. */
function absentIn(outcome: Exchange, role: PairRole): boolean {
  return outcome.verdict === "fails" && outcome.by === role && !outcome.violation;
}

/**
 * A protocol's matrix from its raw exchanges, as the QUIC interop runner reads its results: a role
 * that an agent says it does not play (agact 127), or that fails against every partner that plays
 * the other role without ever breaking a protocol rule (it answers not-understood, opens nothing,
 * never replies), is marked unsupported for that agent, and its cells read `unsupported` instead
 * of failing every pair. A role that breaks a rule is played, badly: those cells stay failures,
 * naming the rule, even when they fail against every partner.
 *
 * @see https://github.com/quic-interop/quic-interop-runner (exit code 127: unsupported)
 */
export function protocolMatrix(scenario: PairScenario, raw: readonly PairCell[]): ProtocolMatrix {
  const unsupported: UnsupportedRole[] = [];
  const isOut = (agent: string, role: PairRole) => unsupported.some((u) => u.agent === agent && u.role === role);
  const agentsOf = (role: PairRole) => [...new Set(raw.map((c) => c[role]))];
  // 1. What the agents themselves say they do not do: agact 127 to the initiator's action.
  for (const agent of agentsOf("initiator")) {
    const said = raw.find((c) => c.initiator === agent && c.outcome.verdict === "unsupported");
    if (said && said.outcome.verdict === "unsupported")
      unsupported.push({ agent, role: "initiator", why: said.outcome.detail });
  }
  // 2. Then participants, against the initiators still in; 3. initiators, against those participants.
  for (const role of ["participant", "initiator"] as const) {
    const other: PairRole = role === "participant" ? "initiator" : "participant";
    for (const agent of agentsOf(role)) {
      if (isOut(agent, role)) continue;
      const played = raw.filter(
        (c) => c[role] === agent && !isOut(c[other], other) && c.outcome.verdict !== "unsupported",
      );
      if (played.length === 0 || !played.every((c) => absentIn(c.outcome, role))) continue;
      const rules = [...new Set(played.map((c) => (c.outcome.verdict === "fails" ? c.outcome.rule : "")))];
      unsupported.push({
        agent,
        role,
        why: `fails against every partner (${played.length}) without breaking a protocol rule: ${rules.join(", ")}`,
      });
    }
  }
  const cells = raw.map((cell): PairCell => {
    for (const role of ["initiator", "participant"] as const) {
      const entry = unsupported.find((u) => u.agent === cell[role] && u.role === role);
      if (entry && cell.outcome.verdict !== "works" && !(cell.outcome.verdict === "fails" && cell.outcome.violation))
        return {
          ...cell,
          outcome: { verdict: "unsupported", by: role, detail: `${cell[role]} as ${role}: ${entry.why}` },
        };
    }
    return cell;
  });
  return { protocol: scenario.protocol, title: scenario.title, expect: scenario.expect, cells, unsupported };
}

/**
 * Issue 16, item 5: pairs that fail although the oracle (each agent's `agtest run` profile)
 * scores both roles `interoperable`. Either the suite misses something, or one of the agents does.
 */
export function oracleGaps(
  scenario: PairScenario,
  matrix: ProtocolMatrix,
  profiles: ReadonlyMap<string, InteropProfile>,
): OracleGap[] {
  const scoreOf = (agent: string, junction: string) => profiles.get(agent)?.profile[junction];
  return matrix.cells.flatMap((cell): OracleGap[] => {
    const { outcome } = cell;
    if (outcome.verdict !== "fails") return [];
    const initiatorScore = scoreOf(cell.initiator, scenario.junctions.initiator);
    const participantScore = scoreOf(cell.participant, scenario.junctions.participant);
    if (initiatorScore !== "interoperable" || participantScore !== "interoperable") return [];
    return [
      {
        protocol: scenario.protocol,
        initiator: cell.initiator,
        participant: cell.participant,
        rule: outcome.rule,
        junctions: scenario.junctions,
        note:
          `${cell.initiator} scores interoperable on ${scenario.junctions.initiator} and ${cell.participant} on ` +
          `${scenario.junctions.participant}, yet together they fail (${outcome.rule}): either the suite misses ` +
          "something, or one of them does",
      },
    ];
  });
}
