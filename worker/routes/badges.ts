import { Hono } from "hono";
import { type Badge, badgeFor, shieldsEndpoint } from "../../protocol/index.js";
import { badgeSvg } from "../../protocol/badge-svg.js";
import type { Env } from "../env.js";
import { ApiError } from "../errors.js";
import { latestProfile } from "./profiles.js";

/** Badges change when a profile is published; caches may keep one for five minutes. */
const CACHE = "public, max-age=300";

/**
 * What a ref with no stored profile shows: a README must never show a broken image, and the
 * badge must turn live as soon as the first profile is published (so caches must not keep it).
 */
const UNKNOWN: Badge = { label: "interop", message: "unknown", color: "lightgrey" };

/**
 * `GET /v1/badges/:owner/:repo/:ref.svg` and `.json` (public): the live badge of a ref's latest
 * profile, as an SVG or as a shields.io endpoint (`https://img.shields.io/endpoint?url=...`).
 * A ref with no profile yet gets `interop | unknown` (grey, 200, `Cache-Control: no-cache`).
 */
export const badges = new Hono<{ Bindings: Env }>().get("/:owner/:repo/:file{.+\\.(?:svg|json)}", async (c) => {
  const file = c.req.param("file");
  const dot = file.lastIndexOf(".");
  const ref = file.slice(0, dot);
  const format = file.slice(dot + 1);
  if (format !== "svg" && format !== "json") throw new ApiError("NOT_FOUND", "badges are .svg or .json");
  let badge = UNKNOWN;
  let cache = "no-cache";
  try {
    badge = badgeFor(
      (await latestProfile(c.env, c.req.param("owner"), c.req.param("repo"), ref, c.req.query("suite") ?? null))
        .profile,
    );
    cache = CACHE;
  } catch (error) {
    if (!(error instanceof ApiError && error.code === "NOT_FOUND")) throw error;
  }
  if (format === "json") return c.json(shieldsEndpoint(badge), 200, { "cache-control": cache });
  return c.body(badgeSvg(badge), 200, { "content-type": "image/svg+xml; charset=utf-8", "cache-control": cache });
});
