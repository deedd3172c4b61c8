import { raw } from "hono/html";
import type { Child } from "hono/jsx";

/**
 * One palette per colour scheme. Every text colour is at least 4.5:1 against the background it
 * sits on (WCAG 2.2 AA, 1.4.3), score tints included; graphics (bars, arrows) at least 3:1
 * (1.4.11). The browser test runs axe-core in both schemes.
 */
const CSS = `
:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--head:#f6f8fa;--line:#d1d9e0;--muted:#59636e;--link:#0550ae;
--ok:#116329;--ok-bg:#dafbe1;--warn:#7d4e00;--warn-bg:#fff8c5;--bad:#a40e26;--bad-bg:#ffebe9;--runtime:#7d4e00;
font:15px/1.45 system-ui,sans-serif}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--head:#161b22;--line:#3d444d;--muted:#9198a1;--link:#4493f8;
--ok:#3fb950;--ok-bg:#0f2a17;--warn:#d29922;--warn-bg:#2e2208;--bad:#ff7b72;--bad-bg:#3a1216;--runtime:#d29922}}
body{margin:0 auto;max-width:80rem;padding:0 1rem 3rem;color:var(--fg);background:var(--bg)}
a{color:var(--link)}
header{display:flex;flex-wrap:wrap;gap:0 1.5rem;align-items:baseline;border-bottom:1px solid var(--line);margin-bottom:1rem}
header a{text-decoration:none}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
caption{text-align:left;font-weight:600;padding:.25rem 0}
.scroll{overflow-x:auto;max-width:100%}
.scroll>table{margin:0}
.score-interoperable{background:var(--ok-bg)}
.score-constrained{background:var(--warn-bg)}
.score-divergent{background:var(--bad-bg)}
.score-absent{color:var(--muted)}
.icon-interoperable{color:var(--ok)}
.icon-constrained{color:var(--warn)}
.icon-divergent{color:var(--bad)}
.state-failed{color:var(--bad);font-weight:600}
.state-running{color:var(--ok)}
pre{white-space:pre-wrap;overflow-wrap:anywhere;max-width:40rem;margin:0;font-size:.85em}
svg{max-width:100%;height:auto}
.bar{fill:var(--ok)}
.muted{color:var(--muted)}
.nowrap{white-space:nowrap}
.diagrams{display:flex;flex-wrap:wrap;gap:0 2.5rem}
.diagrams figure{margin:.5rem 0}
@media (max-width:40rem){h1{font-size:1.5rem}}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`;

/**
 * The page frame: one small stylesheet, no script; every page works without JavaScript. `css`: a
 * page's own rules, a constant (it is not escaped).
 */
export function Layout(props: { title: string; children: Child; css?: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · agtest`}</title>
        {/* raw: JSX would escape the child combinator `>`; the stylesheets are constants, never input. */}
        <style>{raw(CSS + (props.css ?? ""))}</style>
      </head>
      <body>
        <header>
          <p>
            <a href="/">
              <strong>agtest</strong>
            </a>
          </p>
          <nav aria-label="main">
            <a href="/">Agents</a> · <a href="/matrix">Interop matrix</a> · <a href="/pairs">Pairs</a>
          </nav>
        </header>
        <main>
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** A score cell's class: `score-interoperable`, `score-constrained`, `score-divergent` or `score-absent`. */
export function scoreClass(score: string | undefined): string {
  if (score === undefined) return "score-absent";
  return `score-${score.split(" ")[0]}`;
}

/**
 * A wide table's own horizontal scroller, so a phone scrolls the table and not the page. Focusable
 * and labelled, so keyboard users can scroll it too (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
export function ScrollBox(props: { label: string; children: Child; class?: string }) {
  return (
    <section class={props.class ? `scroll ${props.class}` : "scroll"} aria-labelledby={props.label} tabindex={0}>
      {props.children}
    </section>
  );
}
