import { parseScore, type InteropProfile } from "./profile.js";

/**
 * The interop badge of a profile (`interop | 9/11`), shared by the GitHub Action (badge files, the
 * pull request comment) and the runtime's badge routes, so both always say the same thing. Pure
 * TypeScript with no dependency: the SVG is drawn by `badge-svg.ts`.
 */

/** What a badge shows; `color` is a shields.io named colour. */
export type Badge = { label: string; message: string; color: BadgeColor };

/** The colours a badge can take (shields.io / badge-maker named colours). */
export type BadgeColor = "brightgreen" | "yellow" | "red" | "lightgrey";

/** A shields.io endpoint badge (`https://img.shields.io/endpoint?url=...`). */
export type ShieldsEndpoint = { schemaVersion: 1; label: string; message: string; color: BadgeColor };

/** How a profile's claimed junctions scored; a claimed junction that did not run counts as divergent. */
export type Tally = { claimed: number; interoperable: number; constrained: number; divergent: number };

/**
 * Counts the claimed junctions by score: those in `profile` plus those listed in the extra key
 * `not_run` (claimed, could not run: absent from `profile`, so divergent as ARCHITECTURE.md says).
 */
export function tally(profile: InteropProfile): Tally {
  const counts: Tally = { claimed: 0, interoperable: 0, constrained: 0, divergent: 0 };
  for (const score of Object.values(profile.profile)) {
    counts.claimed++;
    counts[parseScore(score)?.kind ?? "divergent"]++;
  }
  const notRun = notRunJunctions(profile).filter((j) => !(j in profile.profile)).length;
  counts.claimed += notRun;
  counts.divergent += notRun;
  return counts;
}

/** `9/11 interoperable`: claimed junctions that are interoperable, of all claimed. */
export function scoreLine(profile: InteropProfile): string {
  const t = tally(profile);
  return `${t.interoperable}/${t.claimed} interoperable`;
}

/**
 * The badge of a profile: `interop | 9/11` (interoperable of claimed junctions), coloured
 * - `brightgreen` when every claimed junction is interoperable,
 * - `yellow` when none is divergent (some are constrained),
 * - `red` when any is divergent (a claimed junction that did not run counts as divergent),
 * - `lightgrey` (`interop | none claimed`) when no junction was claimed.
 */
export function badgeFor(profile: InteropProfile): Badge {
  const t = tally(profile);
  if (t.claimed === 0) return { label: "interop", message: "none claimed", color: "lightgrey" };
  const color: BadgeColor = t.interoperable === t.claimed ? "brightgreen" : t.divergent === 0 ? "yellow" : "red";
  return { label: "interop", message: `${t.interoperable}/${t.claimed}`, color };
}

/** The shields.io endpoint JSON of a badge. @see https://shields.io/badges/endpoint-badge */
export function shieldsEndpoint(badge: Badge): ShieldsEndpoint {
  return { schemaVersion: 1, label: badge.label, message: badge.message, color: badge.color };
}

/**
 * A static shields.io image URL of a badge, for Markdown that cannot embed an SVG file (a pull
 * request comment). @see https://shields.io/badges/static-badge
 */
export function shieldsStaticUrl(badge: Badge): string {
  const part = (s: string) => encodeURIComponent(s.replaceAll("-", "--").replaceAll("_", "__"));
  return `https://img.shields.io/badge/${part(badge.label)}-${part(badge.message)}-${badge.color}`;
}

function notRunJunctions(profile: InteropProfile): string[] {
  const value: unknown = profile.not_run;
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) =>
    typeof entry === "object" && entry !== null && "junction" in entry && typeof entry.junction === "string"
      ? [entry.junction]
      : [],
  );
}
