import type { LoggedMessage } from "../conversation/index.js";

const COLUMN = 170;
const ROW = 34;
const TOP = 40;

/**
 * A conversation drawn as a sequence diagram (inline SVG): one lifeline per party, one arrow per
 * message, labelled with its performative, red where it broke the protocol, amber where the runtime
 * answered for the agent. The image's label lists the messages in words for screen readers.
 */
export function SequenceDiagram(props: { id: string; messages: LoggedMessage[] }) {
  const parties: string[] = [];
  const add = (p: string) => {
    if (!parties.includes(p)) parties.push(p);
  };
  for (const { message } of props.messages) {
    add(String(message.sender ?? "?"));
    for (const r of [message.receiver].flat()) add(String(r ?? "?"));
  }
  const x = (p: string) => 20 + parties.indexOf(p) * COLUMN + COLUMN / 2;
  const height = TOP + props.messages.length * ROW + 20;
  const width = 40 + parties.length * COLUMN;
  return (
    <figure>
      <svg
        role="img"
        aria-label={`sequence diagram of conversation ${props.id}: ${describe(props.messages)}`}
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
      >
        {parties.map((p) => (
          <g>
            <text x={x(p)} y={20} text-anchor="middle" font-size="12" fill="currentColor">
              {p.length > 24 ? `${p.slice(0, 22)}…` : p}
            </text>
            <line x1={x(p)} y1={26} x2={x(p)} y2={height - 10} stroke="#8888" stroke-dasharray="4 3" />
          </g>
        ))}
        {props.messages.flatMap(({ message, violation, origin }, i) =>
          [message.receiver].flat().map((r) => {
            const y = TOP + i * ROW + 10;
            const from = x(String(message.sender ?? "?"));
            const to = x(String(r ?? "?"));
            // Colours through CSS variables (presentation attributes cannot use them), so both schemes keep their contrast.
            const colour = violation ? "var(--bad)" : origin === "runtime" ? "var(--runtime)" : "currentColor";
            const dir = to >= from ? 1 : -1;
            return (
              <g style={`color:${colour}`}>
                <line x1={from} y1={y} x2={to - dir * 6} y2={y} stroke="currentColor" stroke-width="1.5" />
                <polygon points={`${to},${y} ${to - dir * 8},${y - 4} ${to - dir * 8},${y + 4}`} fill="currentColor" />
                <text x={(from + to) / 2} y={y - 5} text-anchor="middle" font-size="11" fill="currentColor">
                  {String(message.performative)}
                </text>
              </g>
            );
          }),
        )}
      </svg>
      <figcaption>
        Conversation <code>{props.id}</code>
      </figcaption>
    </figure>
  );
}

/** The diagram in words: `a → b: request; b → a: agree`. */
function describe(messages: LoggedMessage[]): string {
  return messages
    .map(
      ({ message, violation }) =>
        `${String(message.sender ?? "?")} → ${[message.receiver].flat().map(String).join(", ")}: ${String(message.performative)}${violation ? ` (violation: ${violation})` : ""}`,
    )
    .join("; ");
}
