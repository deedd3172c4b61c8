/**
 * Checks that `text` is one well-formed XML element tree (tags balanced and properly nested,
 * attributes quoted, no stray `<` or `&`) and returns the root element's name. Enough to say an
 * SVG parses without a DOM in Node.
 */
export function xmlRoot(text: string): string {
  const token =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  const stack: string[] = [];
  let root: string | undefined;
  for (const m of text.matchAll(token)) {
    const [whole, closing, name, , selfClosing, chars, stray] = m;
    if (stray) throw new Error(`stray "<" at ${m.index}: ${text.slice(m.index, m.index + 40)}`);
    if (chars !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(chars))
        throw new Error(`bare "&" in ${chars.slice(0, 40)}`);
      if (stack.length === 0 && chars.trim() !== "") throw new Error(`text outside the root: ${chars.slice(0, 40)}`);
      continue;
    }
    if (name === undefined || whole.startsWith("<!--") || whole.startsWith("<?")) continue;
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? "nothing"}>`);
      continue;
    }
    if (stack.length === 0) {
      if (root !== undefined) throw new Error(`a second root element <${name}>`);
      root = name;
    }
    if (!selfClosing) stack.push(name);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join("> <")}>`);
  if (root === undefined) throw new Error("no element");
  return root;
}
