import { WasmValidationError } from "./errors.js";
import { Reader } from "./reader.js";
import type { Section } from "./types.js";

/** Section ids by name. */
export const SECTION = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  datacount: 12,
  tag: 13,
} as const;

const NAMES = [
  "custom",
  "type",
  "import",
  "function",
  "table",
  "memory",
  "global",
  "export",
  "start",
  "element",
  "code",
  "data",
  "datacount",
  "tag",
];

/**
 * Position of each non-custom section id in the required order
 * (https://webassembly.github.io/spec/core/binary/modules.html#binary-module; `tag` from the
 * exception-handling proposal sits between `memory` and `global`, `datacount` before `code`).
 */
export const ORDER: Record<number, number> = {
  1: 1,
  2: 2,
  3: 3,
  4: 4,
  5: 5,
  13: 6,
  6: 7,
  7: 8,
  8: 9,
  9: 10,
  12: 11,
  10: 12,
  11: 13,
};

/** `section 10 (code)`, as messages name sections. */
export function sectionLabel(id: number): string {
  return `section ${id} (${NAMES[id] ?? "unknown"})`;
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/**
 * Checks the header and splits the module into sections, rejecting unknown ids, sections out of
 * order or repeated, and sizes that overrun the module. Custom sections must carry a valid name.
 */
export function splitSections(bytes: Uint8Array): Section[] {
  if (bytes.length < 4 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new WasmValidationError("bad magic number (not a WebAssembly module)", 0);
  }
  if (bytes.length < 8) throw new WasmValidationError("truncated module header at offset 4", 4);
  const version = new DataView(bytes.buffer, bytes.byteOffset + 4, 4).getUint32(0, true);
  if (version !== 1) {
    throw new WasmValidationError(`unsupported version ${version} (only 1 is supported)`, 4);
  }
  const r = new Reader(bytes, 8, bytes.length, "module");
  const sections: Section[] = [];
  let last = 0;
  while (!r.atEnd()) {
    const headerStart = r.pos;
    const id = r.u8();
    if (id > 13) throw new WasmValidationError(`unknown section id ${id} at offset ${headerStart}`, headerStart);
    const label = sectionLabel(id);
    const size = r.u32();
    const start = r.pos;
    if (size > bytes.length - start) {
      throw new WasmValidationError(
        `truncated ${label} at offset ${headerStart}: its size is ${size} bytes but only ${bytes.length - start} remain`,
        headerStart,
      );
    }
    r.skip(size);
    if (id !== 0) {
      const rank = ORDER[id]!;
      if (rank === last) throw new WasmValidationError(`duplicate ${label} at offset ${headerStart}`, headerStart);
      if (rank < last) throw new WasmValidationError(`${label} out of order at offset ${headerStart}`, headerStart);
      last = rank;
    } else {
      new Reader(bytes, start, start + size, label).name();
    }
    sections.push({ id, headerStart, start, end: start + size });
  }
  return sections;
}
