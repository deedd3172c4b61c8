import { Hono } from "hono";
import { badgeFor, shieldsEndpoint } from "../../protocol/index.js";
import { badgeSvg } from "../../protocol/badge-svg.js";
import type { Env } from "../env.js";
import { ApiError } from "../errors.js";
import { latestProfile } from "./profiles.js";

/** Badges change when a profile is published; caches may keep one for five minutes. */
const CACHE = "public, max-age=300";

/**
 * `GET /v1/badges/:owner/:repo/:ref.svg` and `.json` (public): the live badge of a ref's latest
 * profile, as an SVG or as a shields.io endpoint (`https://img.shields.io/endpoint?url=...`).
 */
export const badges = new Hono<{ Bindings: Env }>().get("/:owner/:repo/:file{.+\\.(?:svg|json)}", async (c) => {
  const file = c.req.param("file");
  const dot = file.lastIndexOf(".");
  const ref = file.slice(0, dot);
  const format = file.slice(dot + 1);
  const stored = await latestProfile(c.env, c.req.param("owner"), c.req.param("repo"), ref, c.req.query("suite") ?? null);
  const badge = badgeFor(stored.profile);
  if (format === "json") return c.json(shieldsEndpoint(badge), 200, { "cache-control": CACHE });
  if (format !== "svg") throw new ApiError(404, "NOT_FOUND", "badges are .svg or .json");
  return c.body(badgeSvg(badge), 200, { "content-type": "image/svg+xml; charset=utf-8", "cache-control": CACHE });
});
