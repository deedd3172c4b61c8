import { describe, expect, it } from "vitest";
import { PAIR_HELP } from "../../harness/node/commands/pair.js";
import { RUN_HELP } from "../../harness/node/commands/run-help.js";
import { RUN_FLAGS } from "../../harness/node/commands/run-options.js";
import { type Flag, optionLines } from "../../harness/node/flags.js";
import { PAIR_FLAGS } from "../../harness/node/pair/settings.js";

describe("--help is generated from the flag tables", () => {
  for (const [command, help, flags] of [
    ["run", RUN_HELP, RUN_FLAGS],
    ["pair", PAIR_HELP, PAIR_FLAGS],
  ] as const) {
    it(`agtest ${command} --help lists every flag it parses, once, with its value's name and description`, () => {
      for (const [name, flag] of Object.entries(flags as Record<string, Flag>)) {
        const long = `--${name}${flag.value ? ` ${flag.value}` : ""}`;
        const lines = help.split("\n").filter((l) =>
          l
            .trimStart()
            .replace(/^-\w, /, "")
            .startsWith(`${long} `),
        );
        expect(lines, long).toHaveLength(1);
        expect(lines[0], long).toContain(flag.help.split(" ").slice(0, 3).join(" "));
      }
      for (const line of help.split("\n")) expect(line.length, line).toBeLessThanOrEqual(100);
    });
  }

  it("wraps a description under its own column, between words", () => {
    const table: Record<string, Flag> = {
      long: { type: "string", value: "X", help: `${"word ".repeat(30)}end` },
      h: { type: "boolean", short: "q", help: "short" },
    };
    const lines = optionLines(table).split("\n");
    expect(lines[0]).toMatch(/^ {6}--long X {4}word word/);
    expect(lines.at(-2)).toMatch(/^ {18}word/);
    expect(lines.at(-1)).toBe("  -q, --h         short");
    expect(lines.join(" ").replace(/\s+/g, " ")).toContain(`${"word ".repeat(30)}end`);
  });
});
