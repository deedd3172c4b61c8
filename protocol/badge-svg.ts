import type { Badge, BadgeColor } from "./badge.js";

/**
 * The SVG of a badge in shields.io's `flat` style, byte for byte what badge-maker 6 draws for the
 * same label, message and colour (test/unit/badge.test.ts compares them), without its megabyte of
 * font tables: the font is fixed (Verdana 11px) and badge text is short, so the advance widths of
 * printable ASCII are enough. Those widths are badge-maker's own (anafanafo's
 * `verdana-11px-normal.json`, code points 32-126). Like anafanafo, a character without a width
 * counts as wide as `m`, and control characters as nothing (it has widths for more of Unicode, so
 * non-ASCII text may come out a few pixels different from badge-maker's: still a valid badge).
 */
export function badgeSvg(badge: Badge): string {
  const label = badge.label.trim();
  const message = badge.message.trim();
  const color = COLORS[badge.color];
  const labelWidth = label.length > 0 ? preferredWidth(label) : 0;
  const leftWidth = label.length > 0 ? labelWidth + 10 : 0;
  const messageWidth = preferredWidth(message);
  const rightWidth = messageWidth + 10;
  const width = leftWidth + rightWidth;
  const accessible = escapeXml(label.length > 0 ? `${label}: ${message}` : message);
  const labelText = label.length > 0 ? text(1, label, labelWidth) : "";
  const messageText = message.length > 0 ? text(label.length > 0 ? leftWidth - 1 : 0, message, messageWidth) : "";
  const labelFill = label.length > 0 ? "#555" : color;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${accessible}"><title>${accessible}</title>` +
    `<filter id="blur"><feGaussianBlur stdDeviation="16"/></filter>` +
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r"><rect width="${width}" height="20" rx="3"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${leftWidth}" height="20" fill="${labelFill}"/><rect x="${leftWidth}" width="${rightWidth}" height="20" fill="${color}"/><rect width="${width}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">${labelText}${messageText}</g></svg>`
  );
}

/** badge-maker's named colours, as it writes them. Every one is dark enough for white text with a dark shadow. */
const COLORS: Record<BadgeColor, string> = {
  brightgreen: "#4b0",
  yellow: "#d8b800",
  red: "#dd4343",
  lightgrey: "#939393",
};

/** One text run, with its blurred and faint shadow, in badge-maker's tenfold coordinates. */
function text(margin: number, content: string, width: number): string {
  const x = 10 * (margin + 0.5 * width + 5);
  const length = 10 * width;
  const s = escapeXml(content);
  return (
    `<g transform="scale(.1)"><g aria-hidden="true" fill="#010101">` +
    `<text x="${x}" y="150" fill-opacity=".8" filter="url(#blur)" textLength="${length}">${s}</text>` +
    `<text x="${x}" y="150" fill-opacity=".3" textLength="${length}">${s}</text></g>` +
    `<text x="${x}" y="140" textLength="${length}">${s}</text></g>`
  );
}

/** Verdana 11px advance widths of code points 32 (space) to 126 (`~`), from anafanafo. */
const ASCII_WIDTHS = [
  3.87, 4.33, 5.05, 9, 6.99, 11.84, 7.99, 2.95, 5, 5, 6.99, 9, 4, 5, 4, 5, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99,
  6.99, 6.99, 6.99, 5, 5, 9, 9, 9, 6, 11, 7.52, 7.54, 7.68, 8.48, 6.96, 6.32, 8.53, 8.27, 4.63, 5, 7.62, 6.12, 9.27,
  8.23, 8.66, 6.63, 8.66, 7.65, 7.52, 6.78, 8.05, 7.52, 10.88, 7.54, 6.77, 7.54, 5, 5, 5, 9, 6.99, 6.99, 6.61, 6.85,
  5.73, 6.85, 6.55, 3.87, 6.85, 6.96, 3.02, 3.79, 6.51, 3.02, 10.7, 6.96, 6.68, 6.85, 6.85, 4.69, 5.73, 4.33, 6.96,
  6.51, 9, 6.51, 6.51, 5.78, 6.98, 5, 6.98, 9,
];
const EM = ASCII_WIDTHS["m".charCodeAt(0) - 32]!;

/** Text width as anafanafo sums it (per code point, left to right), rounded down and up to odd for pixel alignment. */
function preferredWidth(s: string): number {
  let width = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    width += c <= 31 || c === 127 ? 0 : c <= 126 ? ASCII_WIDTHS[c - 32]! : EM;
  }
  const whole = width | 0;
  return whole % 2 === 0 ? whole + 1 : whole;
}

function escapeXml(s: string): string {
  return s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}
