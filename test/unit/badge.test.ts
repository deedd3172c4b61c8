import { makeBadge } from "badge-maker";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { badgeSvg } from "../../protocol/badge-svg.js";
import {
  badgeFor,
  scoreLine,
  shieldsEndpoint,
  shieldsStaticUrl,
  tally,
  type InteropProfile,
} from "../../protocol/index.js";
import { xmlRoot } from "../helpers/xml.js";

const profile = (scores: Record<string, string>, extra: Record<string, unknown> = {}): InteropProfile => ({
  test_suite: "urn:agtest:suite:fipa:1.0.0",
  profile: scores,
  ...extra,
});

describe("badges", () => {
  it("green when every claimed junction is interoperable", () => {
    expect(badgeFor(profile({ "core.passive": "interoperable", "core.active": "interoperable" }))).toEqual({
      label: "interop",
      message: "2/2",
      color: "brightgreen",
    });
  });

  it("yellow when some are constrained and none divergent", () => {
    expect(badgeFor(profile({ "core.passive": "interoperable", "core.active": "constrained (4 of 5)" }))).toEqual({
      label: "interop",
      message: "1/2",
      color: "yellow",
    });
  });

  it("red when any is divergent, and a claimed junction that did not run counts as divergent", () => {
    expect(badgeFor(profile({ a: "interoperable", b: "divergent" })).color).toBe("red");
    const notRun = profile(
      { a: "interoperable" },
      { not_run: [{ junction: "metadata.passive", reason: "no backchannel" }] },
    );
    expect(tally(notRun)).toEqual({ claimed: 2, interoperable: 1, constrained: 0, divergent: 1 });
    expect(badgeFor(notRun)).toEqual({ label: "interop", message: "1/2", color: "red" });
    expect(scoreLine(notRun)).toBe("1/2 interoperable");
  });

  it("grey when nothing was claimed", () => {
    expect(badgeFor(profile({}))).toEqual({ label: "interop", message: "none claimed", color: "lightgrey" });
  });

  it("9/11: the score line counts interoperable of claimed", () => {
    const scores = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`j${i}.passive`, i < 9 ? "interoperable" : "constrained (1 of 2)"]),
    );
    expect(scoreLine(profile(scores))).toBe("9/11 interoperable");
    expect(badgeFor(profile(scores)).message).toBe("9/11");
  });

  it("shields.io endpoint JSON and static URL", () => {
    const badge = badgeFor(profile({ a: "interoperable", b: "divergent" }));
    expect(shieldsEndpoint(badge)).toEqual({ schemaVersion: 1, label: "interop", message: "1/2", color: "red" });
    expect(shieldsStaticUrl(badge)).toBe("https://img.shields.io/badge/interop-1%2F2-red");
    expect(shieldsStaticUrl({ label: "a-b_c", message: "none claimed", color: "lightgrey" })).toBe(
      "https://img.shields.io/badge/a--b__c-none%20claimed-lightgrey",
    );
  });

  it("the SVG is well-formed, titled, and coloured by the badge", () => {
    const svg = badgeSvg(badgeFor(profile({ a: "interoperable", b: "constrained (1 of 2)" })));
    expect(xmlRoot(svg)).toBe("svg");
    expect(svg).toContain('aria-label="interop: 1/2"');
    expect(svg).toContain('fill="#d8b800"');
  });

  it("the SVG is badge-maker's flat badge, byte for byte, for any printable ASCII label and message", () => {
    const colors = ["brightgreen", "yellow", "red", "lightgrey"] as const;
    const ascii = fc.string({
      unit: fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c)),
      maxLength: 24,
    });
    for (const [message, color] of [
      ["1/2", "yellow"],
      ["none claimed", "lightgrey"],
      ["11/11", "brightgreen"],
      ["0/7", "red"],
    ] as const) {
      expect(badgeSvg({ label: "interop", message, color })).toBe(
        makeBadge({ label: "interop", message, color, style: "flat" }),
      );
    }
    fc.assert(
      fc.property(ascii, ascii, fc.constantFrom(...colors), (label, message, color) => {
        expect(badgeSvg({ label, message, color })).toBe(makeBadge({ label, message, color, style: "flat" }));
      }),
      { seed: 14, numRuns: 500 },
    );
  });

  it("text outside printable ASCII still gives a well-formed badge, escaped, control characters taking no width", () => {
    const svg = badgeSvg({ label: "<ïnterop>", message: "a\u0001&\"'", color: "red" });
    expect(xmlRoot(svg)).toBe("svg");
    expect(svg).toContain('aria-label="&lt;ïnterop&gt;: a\u0001&amp;&quot;&apos;"');
  });
});
