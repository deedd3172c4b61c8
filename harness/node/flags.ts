/**
 * A command's flags in one table: what `util.parseArgs` reads (`type`, `short`, `multiple`; the
 * table is passed to it as it is) and what `--help` says of each (`value`, `help`, `group`), so the
 * help's option lines are generated from the flags they describe and cannot drift from them
 * (citty's `renderUsage` does the same from its `args`).
 */
export type Flag = {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** The value's name in the help (`FILE`, `MS`); none for a boolean. */
  value?: string;
  /** What the flag does, wrapped to the help's width. */
  help: string;
  /** The help section the flag is listed under (a command's own names). */
  group?: string;
};

/** The widest help line. */
const WIDTH = 97;

function label(name: string, flag: Flag): string {
  const long = `--${name}${flag.value ? ` ${flag.value}` : ""}`;
  return flag.short ? `  -${flag.short}, ${long}` : `      ${long}`;
}

/** `text` in lines of at most `width` characters, broken between words. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/**
 * The help's option lines for the flags of `group` (every flag when `group` is undefined), in
 * table order: the flag and its value's name, then its description in a column that every flag of
 * the table shares.
 */
export function optionLines(table: Record<string, Flag>, group?: string): string {
  const column = Math.max(...Object.entries(table).map(([name, flag]) => label(name, flag).length)) + 4;
  const pad = " ".repeat(column);
  return Object.entries(table)
    .filter(([, flag]) => group === undefined || flag.group === group)
    .flatMap(([name, flag]) =>
      wrap(flag.help, WIDTH - column).map((text, i) => (i === 0 ? label(name, flag).padEnd(column) : pad) + text),
    )
    .join("\n");
}
