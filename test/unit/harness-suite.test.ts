import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  SuiteDefinitionError,
  canonicalSuite,
  defineSuite,
  suiteDigest,
  test,
  type SuiteSpec,
} from "../../harness/core/index.js";
import { fipa } from "../../suites/fipa/index.js";

const spec = (over: Partial<SuiteSpec> = {}): SuiteSpec => ({
  id: "demo",
  version: "1.2.3",
  title: "demo",
  clusters: [
    {
      id: "protocols.fipa-request",
      title: "request",
      passive: [test("agree-then-inform", { description: "d", essential: true }, () => undefined)],
    },
  ],
  ...over,
});

describe("defineSuite", () => {
  it("names tests by dot-delimited paths under their junction, with URI and defaults", () => {
    const suite = defineSuite(spec());
    expect(suite.uri).toBe("urn:agtest:suite:demo:1.2.3");
    expect(suite.junctions.map((j) => j.id)).toEqual(["protocols.fipa-request.passive"]);
    expect(suite.tests[0]).toMatchObject({
      id: "protocols.fipa-request.passive.agree-then-inform",
      essential: true,
      timeout: 5000,
      side: "passive",
    });
  });

  it.each([
    [{ id: "Demo" }, "lowercase"],
    [{ version: "1.0" }, "semantic version"],
    [{ clusters: [{ id: "core", title: "c", passive: [] }] }, "has no tests"],
    [
      {
        clusters: [
          {
            id: "core",
            title: "c",
            passive: [
              test("a", { description: "d" }, () => undefined),
              test("a", { description: "d" }, () => undefined),
            ],
          },
        ],
      },
      "used twice",
    ],
    [
      { clusters: [{ id: "core", title: "c", passive: [test("Bad Name", { description: "d" }, () => undefined)] }] },
      "dot-delimited",
    ],
    [
      {
        clusters: [{ id: "core", title: "c", passive: [test("a", { description: "d", timeout: 0 }, () => undefined)] }],
      },
      "timeout",
    ],
    [{ clusters: [] }, "no tests"],
  ] as [Partial<SuiteSpec>, string][])("rejects %j (%s)", (over, text) => {
    expect(() => defineSuite(spec(over))).toThrow(SuiteDefinitionError);
    expect(() => defineSuite(spec(over))).toThrow(text);
  });

  it("the digest is sha256 over the canonical description and changes with what a score means", async () => {
    const a = await suiteDigest(defineSuite(spec()));
    expect(a).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect(await suiteDigest(defineSuite(spec()))).toBe(a);
    const nonEssential = spec({
      clusters: [
        {
          id: "protocols.fipa-request",
          title: "r",
          passive: [test("agree-then-inform", { description: "d" }, () => undefined)],
        },
      ],
    });
    expect(await suiteDigest(defineSuite(nonEssential))).not.toBe(a);
    expect(await suiteDigest(defineSuite(spec({ version: "1.2.4" })))).not.toBe(a);
    expect(canonicalSuite(defineSuite(spec()))).toBe(
      '{"id":"demo","version":"1.2.3","actions":[],"tests":[["protocols.fipa-request.passive.agree-then-inform",true,5000,"d"]]}',
    );
  });
});

describe("the fipa suite", () => {
  it("is fipa 1.1.0 with six clusters on both sides, essential tests on each", () => {
    expect(fipa.uri).toBe("urn:agtest:suite:fipa:1.1.0");
    const clusters = [
      "core",
      "protocols.fipa-request",
      "protocols.fipa-query",
      "protocols.fipa-contract-net",
      "metadata",
      "transports.http",
    ];
    expect(fipa.junctions.map((j) => j.id)).toEqual(clusters.flatMap((c) => [`${c}.passive`, `${c}.active`]));
    for (const j of fipa.junctions) expect(j.tests.some((t) => t.essential)).toBe(true);
    expect(fipa.tests.map((t) => t.id)).toContain("core.passive.reply-echoes-conversation-id");
  });
});

describe("harness/core and suites use web-standard APIs only", () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
    });

  it.each([...files("harness/core"), ...files("suites")])("%s imports no node: module and no Node global", (file) => {
    const text = readFileSync(file, "utf8");
    expect(text).not.toMatch(/from\s+["'](node:|fs|path|child_process|http|os)["']/);
    expect(text).not.toMatch(/\b(process|Buffer|require)\s*[.(]/);
  });
});
