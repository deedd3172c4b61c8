import { describe, expect, it } from "vitest";
import { knownNotHosted, noteHosted, noteNotHosted } from "../../worker/routing/hosted.js";

describe("names known not hosted", () => {
  it("is learned from an absent answer, forgotten on deploy and after its TTL", () => {
    const now = 1_000_000;
    expect(knownNotHosted("u-1", now)).toBe(false);
    noteNotHosted("u-1", now);
    expect(knownNotHosted("u-1", now + 1)).toBe(true);
    noteHosted("u-1");
    expect(knownNotHosted("u-1", now + 1)).toBe(false);
    noteNotHosted("u-2", now);
    expect(knownNotHosted("u-2", now + 4_999)).toBe(true);
    expect(knownNotHosted("u-2", now + 5_000)).toBe(false);
  });
});
