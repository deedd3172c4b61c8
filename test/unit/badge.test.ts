import { describe, expect, it } from "vitest";
import { badgeSvg } from "../../protocol/badge-svg.js";
import { badgeFor, scoreLine, shieldsEndpoint, shieldsStaticUrl, tally, type InteropProfile } from "../../protocol/index.js";
import { xmlRoot } from "../helpers/xml.js";

const profile = (scores: Record<string, string>, extra: Record<string, unknown> = {}): InteropProfile => ({ test_suite: "urn:agtest:suite:fipa:1.0.0", profile: scores, ...extra });

describe("badges", () => {
  it("green when every claimed junction is interoperable", () => {
    expect(badgeFor(profile({ "core.passive": "interoperable", "core.active": "interoperable" }))).toEqual({ label: "interop", message: "2/2", color: "brightgreen" });
  });

  it("yellow when some are constrained and none divergent", () => {
    expect(badgeFor(profile({ "core.passive": "interoperable", "core.active": "constrained (4 of 5)" }))).toEqual({ label: "interop", message: "1/2", color: "yellow" });
  });

  it("red when any is divergent, and a claimed junction that did not run counts as divergent", () => {
    expect(badgeFor(profile({ a: "interoperable", b: "divergent" })).color).toBe("red");
    const notRun = profile({ a: "interoperable" }, { not_run: [{ junction: "metadata.passive", reason: "no backchannel" }] });
    expect(tally(notRun)).toEqual({ claimed: 2, interoperable: 1, constrained: 0, divergent: 1 });
    expect(badgeFor(notRun)).toEqual({ label: "interop", message: "1/2", color: "red" });
    expect(scoreLine(notRun)).toBe("1/2 interoperable");
  });

  it("grey when nothing was claimed", () => {
    expect(badgeFor(profile({}))).toEqual({ label: "interop", message: "none claimed", color: "lightgrey" });
  });

  it("9/11: the score line counts interoperable of claimed", () => {
    const scores = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`j${i}.passive`, i < 9 ? "interoperable" : "constrained (1 of 2)"]));
    expect(scoreLine(profile(scores))).toBe("9/11 interoperable");
    expect(badgeFor(profile(scores)).message).toBe("9/11");
  });

  it("shields.io endpoint JSON and static URL", () => {
    const badge = badgeFor(profile({ a: "interoperable", b: "divergent" }));
    expect(shieldsEndpoint(badge)).toEqual({ schemaVersion: 1, label: "interop", message: "1/2", color: "red" });
    expect(shieldsStaticUrl(badge)).toBe("https://img.shields.io/badge/interop-1%2F2-red");
    expect(shieldsStaticUrl({ label: "a-b_c", message: "none claimed", color: "lightgrey" })).toBe("https://img.shields.io/badge/a--b__c-none%20claimed-lightgrey");
  });

  it("the SVG is well-formed, titled, and coloured by the badge", () => {
    const svg = badgeSvg(badgeFor(profile({ a: "interoperable", b: "constrained (1 of 2)" })));
    expect(xmlRoot(svg)).toBe("svg");
    expect(svg).toContain('aria-label="interop: 1/2"');
    expect(svg).toContain('fill="#d8b800"');
  });
});
