import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { actionMetadata } from "../helpers/action-metadata.js";

/** Every YAML file git knows of (committed or new), as GitHub and users' tools would read them. */
const yamlFiles = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.yml", "*.yaml"], {
  encoding: "utf8",
})
  .split("\n")
  .filter((f) => f !== "" && existsSync(f));

/** The workflow files: this repository's own and the ones the README tells users to copy. */
const workflows = yamlFiles.filter((f) => f.startsWith(".github/workflows/") || f.startsWith("fixtures/workflows/"));

describe("YAML files, read by real YAML parsers", () => {
  it("finds the action and the workflows", () => {
    expect(yamlFiles).toContain("action.yml");
    expect(workflows).toEqual(expect.arrayContaining([".github/workflows/ci.yml", "fixtures/workflows/agtest.yml"]));
  });

  it.each(yamlFiles)("%s parses without errors or warnings", (file) => {
    const doc = parseDocument(readFileSync(file, "utf8"), { prettyErrors: true, uniqueKeys: true });
    expect(doc.errors.map((e) => e.message)).toEqual([]);
    expect(doc.warnings.map((e) => e.message)).toEqual([]);
  });

  it("the parser really refuses what GitHub refused (the unquoted `: ` in a description)", () => {
    const broken = "inputs:\n  token:\n    description: Needs `pull-requests: write` to comment.\n";
    expect(parseDocument(broken).errors.length).toBeGreaterThan(0);
  });
});

describe("action.yml against the action metadata schema (@action-validator/core)", () => {
  const source = readFileSync("action.yml", "utf8");

  it("is a node24 JavaScript action whose entry point is committed", () => {
    const meta = actionMetadata(source);
    expect(meta.runs).toEqual({ using: "node24", main: "action/dist/index.js" });
    expect(existsSync(meta.runs.main)).toBe(true);
    expect(execFileSync("git", ["ls-files", meta.runs.main], { encoding: "utf8" }).trim()).toBe(meta.runs.main);
  });

  it("passes the schema (its `runs.using` enum predates node24, so that one value is checked as node20)", () => {
    // action-validator 0.6.0 lists node12/node16/node20 only; GitHub runs node24 actions since
    // runner 2.328 (https://github.blog/changelog/2025-09-19-deprecation-of-node-20-on-github-actions-runners/).
    // Everything else in the file (inputs, outputs, branding values, required keys) is checked as is.
    const asNode20 = source.replace(/^(\s+using:\s*)node24\s*$/m, "$1node20");
    expect(asNode20).not.toBe(source);
    expect(validateAction(asNode20).errors).toEqual([]);
    // The same file with node24 fails only on that enum, nothing else.
    const errors = validateAction(source).errors;
    expect(JSON.stringify(errors)).toContain("/runs/using");
  });

  it("the validator is live: a bad branding colour, an unknown key and a missing description are refused", () => {
    const asNode20 = source.replace(/^(\s+using:\s*)node24\s*$/m, "$1node20");
    expect(validateAction(asNode20.replace(/color: \w+/, "color: rainbow")).errors).not.toEqual([]);
    expect(validateAction(asNode20.replace(/^description:/m, "descriptio:")).errors).not.toEqual([]);
    expect(validateAction(`${asNode20}\nunknown-key: 1\n`).errors).not.toEqual([]);
  });

  it("every input has a description; outputs too; defaults are strings", () => {
    const meta = actionMetadata(source);
    for (const [name, input] of Object.entries(meta.inputs)) {
      expect(typeof input.description, name).toBe("string");
      if (input.default !== undefined) expect(typeof input.default, name).toBe("string");
    }
    for (const [name, output] of Object.entries(meta.outputs)) expect(typeof output.description, name).toBe("string");
  });
});

describe("workflows against the workflow schema (@action-validator/core)", () => {
  it.each(workflows)("%s is a valid workflow", (file) => {
    expect(validateWorkflow(readFileSync(file, "utf8")).errors).toEqual([]);
  });

  it("the validator is live: a job without runs-on is refused", () => {
    expect(validateWorkflow("on: push\njobs:\n  a:\n    steps:\n      - run: echo\n").errors).not.toEqual([]);
  });
});
