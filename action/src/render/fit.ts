/** Size of a string in UTF-8 bytes: a bound on GitHub's character limits whatever it counts. */
export function byteLength(s: string): number {
  return new TextEncoder().encode(s).byteLength;
}

/**
 * Keeps the longest prefix of `lines` whose text fits `maxBytes` with `overflow` after it, closing
 * any `<details>` or code fence the cut leaves open, so the Markdown still renders. Returns the
 * lines as they are when they fit.
 */
export function fitLines(lines: readonly string[], maxBytes: number, overflow: readonly string[]): string[] {
  if (byteLength(lines.join("\n")) <= maxBytes) return [...lines];
  const room = maxBytes - byteLength(overflow.join("\n")) - 64;
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const size = byteLength(line) + 1;
    if (used + size > room) break;
    kept.push(line);
    used += size;
  }
  const fences = kept.filter((l) => l.startsWith("```")).length;
  const open =
    kept.filter((l) => l.startsWith("<details>")).length - kept.filter((l) => l.startsWith("</details>")).length;
  return [
    ...kept,
    ...(fences % 2 === 1 ? ["```"] : []),
    ...Array<string>(Math.max(0, open)).fill("</details>"),
    "",
    ...overflow,
  ];
}
