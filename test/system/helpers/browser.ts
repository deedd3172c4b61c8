import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, Locator, Page } from "playwright-core";
import { chromium } from "playwright-core";

/** Debian's Chromium, with the flags this machine's closed network needs. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

type AxeViolation = {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
};

/**
 * axe-core's violations on the page as it is, one line each (rule, impact, the elements), so a
 * failing assertion says what to fix. Every rule axe runs by default (WCAG 2.x A/AA and best
 * practices). The dashboard has no script; axe is injected for the check only.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    type Axe = {
      run: (context: Document, options: { resultTypes: string[] }) => Promise<{ violations: AxeViolation[] }>;
    };
    const axe = (globalThis as unknown as { axe: Axe }).axe;
    // resultTypes: details for violations only (passes are counted, not described), which is what makes axe fast on big tables.
    return (await axe.run(document, { resultTypes: ["violations"] })).violations;
  });
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ""}`.trim()).join(" | ")}`,
  );
}

/** An element's box in CSS pixels, as laid out (not a screenshot's pixels). */
export async function box(
  locator: Locator,
): Promise<{ x: number; y: number; width: number; height: number; right: number; bottom: number }> {
  const b = await locator.boundingBox();
  if (!b) throw new Error(`no box for ${locator.toString()}: not rendered`);
  return { ...b, right: b.x + b.width, bottom: b.y + b.height };
}

/** How far an element's content reaches beyond its own box (scrollWidth/Height against clientWidth/Height). */
export function overflow(locator: Locator): Promise<{ x: number; y: number }> {
  return locator.evaluate((el) => ({ x: el.scrollWidth - el.clientWidth, y: el.scrollHeight - el.clientHeight }));
}
