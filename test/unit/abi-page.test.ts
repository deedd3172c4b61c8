import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WASI_IMPORTS } from "../../worker/wasm/abi.js";

const page = readFileSync("docs/abi.md", "utf8");

/** The backticked names in the first column of the table under `heading`. */
function firstColumn(heading: string): string[] {
  const section = page.slice(page.indexOf(heading));
  const table = section.slice(0, section.indexOf("\n\n", section.indexOf("\n|")));
  return table
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => [...line.split("|")[1]!.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!));
}

describe("docs/abi.md stays true to the validator", () => {
  it("its WASI table lists exactly the WASI functions the validator admits", () => {
    expect(firstColumn("### The WASI subset").sort()).toEqual([...WASI_IMPORTS.keys()].sort());
  });
});
