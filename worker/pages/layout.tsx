import type { Child } from "hono/jsx";

const CSS = `
:root{color-scheme:light dark;--ok:#2da44e;--warn:#bf8700;--bad:#cf222e;--muted:#6e7781;font:15px/1.45 system-ui,sans-serif}
body{margin:0 auto;max-width:70rem;padding:0 1rem 3rem}
header{display:flex;gap:1.5rem;align-items:baseline;border-bottom:1px solid #8884;margin-bottom:1rem}
header a{text-decoration:none}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #8884;padding:.25rem .5rem;text-align:left;vertical-align:top}
caption{text-align:left;font-weight:600;padding:.25rem 0}
.score-interoperable{background:color-mix(in srgb,var(--ok) 25%,transparent)}
.score-constrained{background:color-mix(in srgb,var(--warn) 25%,transparent)}
.score-divergent{background:color-mix(in srgb,var(--bad) 25%,transparent)}
.score-absent{color:var(--muted)}
.state-failed{color:var(--bad);font-weight:600}
.state-running{color:var(--ok)}
pre{white-space:pre-wrap;max-width:40rem;margin:0;font-size:.85em}
.muted{color:var(--muted)}
`;

/** The page frame: one small stylesheet, no script; every page works without JavaScript. */
export function Layout(props: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · agtest`}</title>
        <style>{CSS}</style>
      </head>
      <body>
        <header>
          <h1>
            <a href="/">agtest</a>
          </h1>
          <nav aria-label="main">
            <a href="/">Agents</a> · <a href="/matrix">Interop matrix</a>
          </nav>
        </header>
        <main>
          <h2>{props.title}</h2>
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
