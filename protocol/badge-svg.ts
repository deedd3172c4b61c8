import { makeBadge } from "badge-maker";
import type { Badge } from "./badge.js";

/**
 * The SVG of a badge, drawn by badge-maker (the library behind shields.io): the same bytes in the
 * GitHub Action and in the runtime's `GET /v1/badges/...svg` route. In a Worker it needs
 * `nodejs_compat`: a text-width package it loads requires `fs` and `util` at load time (never
 * using them). Kept apart from `badge.ts` so importing the badge logic does not pull it in.
 */
export function badgeSvg(badge: Badge): string {
  return makeBadge({ label: badge.label, message: badge.message, color: badge.color, style: "flat" });
}
