import { readMemoryType, readTableType } from "../wasm/limits.js";
import { readConstExpr, readRefType, readValType } from "../wasm/opcodes.js";
import { Reader } from "../wasm/reader.js";
import { SECTION, sectionLabel, splitSections } from "../wasm/sections.js";
import { FUEL_EXPORT, OOM_EXPORT } from "../wasm/validate.js";
import { Writer } from "../wasm/writer.js";

/**
 * Marks a module whose mutable globals are exported for checkpoints: the glue only checkpoints a
 * module that carries it (an agent deployed before durable memory existed keeps the old,
 * isolate-only behaviour instead of being restored without its globals).
 */
export const DURABLE_MARK = "__agtest_durable";

/** Prefix of the export of mutable global N of type T: `__agtest_g<N>_<T>`. */
export const GLOBAL_EXPORT_PREFIX = "__agtest_g";

const TYPE_NAMES: Record<number, string> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64" };

/**
 * Exports every mutable number global of an instrumented module (AssemblyScript's heap and GC
 * pointers, a C stack pointer...), so the glue can checkpoint and restore them with the linear
 * memory: memory without the globals that point into it is not the agent's state. The fuel and
 * OOM globals are runtime bookkeeping, not state, and are left out. Mutable `v128` and reference
 * globals cannot be read from JavaScript as values and are not checkpointed (no toolchain we know
 * emits them for agents). Runs after `prepareModule`, on a module it already validated; the
 * export section always exists there (the ABI requires exports).
 */
export function exportMutableGlobals(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const sections = splitSections(bytes);
  let imported = 0;
  const mutable: { index: number; type: string }[] = [];
  const runtime = new Set<number>();
  let exportSection: (typeof sections)[number] | undefined;
  for (const s of sections) {
    const r = new Reader(bytes, s.start, s.end, sectionLabel(s.id));
    if (s.id === SECTION.import) {
      for (let n = r.u32(); n > 0; n--) {
        r.name();
        r.name();
        const kind = r.u8();
        if (kind === 0x00) r.u32();
        else if (kind === 0x01) readTableType(r, readRefType);
        else if (kind === 0x02) readMemoryType(r);
        else if (kind === 0x03) {
          imported++;
          readValType(r);
          r.u8();
        } else throw new Error(`exportMutableGlobals: unexpected import kind ${kind}`);
      }
    } else if (s.id === SECTION.global) {
      const ctx = { types: Infinity, funcs: Infinity, globals: Infinity };
      for (let i = 0, n = r.u32(); i < n; i++) {
        const type = readValType(r);
        const mut = r.u8();
        readConstExpr(r, ctx);
        const name = TYPE_NAMES[type];
        if (mut === 1 && name) mutable.push({ index: imported + i, type: name });
      }
    } else if (s.id === SECTION.export) {
      exportSection = s;
      for (let n = r.u32(); n > 0; n--) {
        const name = r.name();
        const kind = r.u8();
        const index = r.u32();
        if (kind === 0x03 && (name === FUEL_EXPORT || name === OOM_EXPORT)) runtime.add(index);
      }
    }
  }
  if (!exportSection) throw new Error("exportMutableGlobals: the module has no export section");
  const added = mutable.filter((g) => !runtime.has(g.index));
  const oom = [...runtime].sort((a, b) => b - a)[0] ?? 0;
  const r = new Reader(bytes, exportSection.start, exportSection.end, "export section");
  const count = r.u32();
  const payload = new Writer(exportSection.end - exportSection.start + 32 * (added.length + 1));
  payload.u32(count + added.length + 1).bytes(bytes.subarray(r.pos, exportSection.end));
  for (const g of added) payload.name(`${GLOBAL_EXPORT_PREFIX}${g.index}_${g.type}`).u8(0x03).u32(g.index);
  payload.name(DURABLE_MARK).u8(0x03).u32(oom);
  const body = payload.view();
  const out = new Writer(bytes.length + body.length + 16);
  out
    .bytes(bytes.subarray(0, exportSection.headerStart))
    .u8(SECTION.export)
    .u32(body.length)
    .bytes(body)
    .bytes(bytes.subarray(exportSection.end));
  return out.finish();
}
