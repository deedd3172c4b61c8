import { planBody } from "./code.js";
import { WasmValidationError, hex } from "./errors.js";
import { readMemoryType, readTableType } from "./limits.js";
import { type IndexSpace, checkIndex, readConstExpr, readRefType, readValType } from "./opcodes.js";
import { Reader } from "./reader.js";
import { SECTION, sectionLabel, splitSections } from "./sections.js";
import { readDataSection, readElementSection } from "./segments.js";
import { type CheckContext, checkBody } from "./typecheck.js";
import type { Export, ExternKind, FuncType, Import, ParsedModule } from "./types.js";

const KINDS: ExternKind[] = ["func", "table", "memory", "global", "tag"];

function readKind(r: Reader, what: string): ExternKind {
  const at = r.pos;
  const b = r.u8();
  const kind = KINDS[b];
  if (kind === undefined) throw new WasmValidationError(`bad ${what} kind ${hex(b)} at offset ${at}`, at);
  return kind;
}

function readFuncType(r: Reader): FuncType {
  const at = r.pos;
  const form = r.u8();
  if (form === 0x4e || form === 0x50 || form === 0x4f) {
    throw new WasmValidationError(`unsupported type form ${hex(form)} (GC) at offset ${at}`, at);
  }
  if (form !== 0x60) throw new WasmValidationError(`bad function type form ${hex(form)} at offset ${at}`, at);
  const params: number[] = [];
  for (let n = r.u32(); n > 0; n--) params.push(readValType(r));
  const results: number[] = [];
  for (let n = r.u32(); n > 0; n--) results.push(readValType(r));
  return { params, results };
}

function readImport(r: Reader, m: ParsedModule, ctx: IndexSpace, tc: CheckContext): Import {
  const module = r.name();
  const name = r.name();
  const kind = readKind(r, "import");
  const imp: Import = { module, name, kind, typeIndex: -1, limits: null };
  switch (kind) {
    case "func":
      imp.typeIndex = checkIndex(r, "types", ctx);
      tc.funcs.push(imp.typeIndex);
      m.importedFuncs++;
      break;
    case "table":
      readTable(r, tc);
      m.tables++;
      break;
    case "memory":
      imp.limits = readMemoryType(r);
      m.memories.push(imp.limits);
      tc.memories++;
      m.importedMemories++;
      break;
    case "global":
      tc.globals.push({ type: readValType(r), mutable: readMutability(r) });
      m.importedGlobals++;
      break;
    case "tag":
      r.u8();
      checkIndex(r, "types", ctx);
      break;
  }
  return imp;
}

function readMutability(r: Reader): boolean {
  const at = r.pos;
  const b = r.u8();
  if (b > 1) throw new WasmValidationError(`bad global mutability at offset ${at}`, at);
  return b === 1;
}

function readTable(r: Reader, tc: CheckContext): void {
  readTableType(r, (rr) => {
    const t = readRefType(rr);
    tc.tables.push(t);
    return t;
  });
}

function readExports(r: Reader, m: ParsedModule, ctx: IndexSpace, tc: CheckContext): void {
  const seen = new Set<string>();
  for (let n = r.u32(); n > 0; n--) {
    const at = r.pos;
    const name = r.name();
    if (seen.has(name)) throw new WasmValidationError(`duplicate export \`${name}\` at offset ${at}`, at);
    seen.add(name);
    const kind = readKind(r, "export");
    const idxAt = r.pos;
    const index =
      kind === "func" ? checkIndex(r, "funcs", ctx) : kind === "global" ? checkIndex(r, "globals", ctx) : r.u32();
    const limit = kind === "table" ? m.tables : kind === "memory" ? m.memories.length : kind === "tag" ? 0 : Infinity;
    if (index >= limit) throw new WasmValidationError(`${kind} index ${index} out of range at offset ${idxAt}`, idxAt);
    if (kind === "func") {
      tc.refs.add(index);
      if (!tc.names.has(index)) tc.names.set(index, name);
    }
    m.exports.push({ name, kind, index } satisfies Export);
  }
}

function readCode(r: Reader, m: ParsedModule, ctx: IndexSpace, tc: CheckContext): void {
  const count = r.u32();
  if (count !== m.functions.length) {
    throw new WasmValidationError(
      `function section declares ${m.functions.length} functions but the code section has ${count} bodies`,
      r.pos,
    );
  }
  for (let i = 0; i < count; i++) {
    const size = r.u32();
    const body = r.sub(size, "section 10 (code)");
    const params = m.types[m.functions[i]!]!.params.length;
    const funcIndex = m.importedFuncs + i;
    m.bodies.push(planBody(m.bytes, { start: body.pos, end: body.end, funcIndex }, ctx, params));
    checkBody(m.bytes, body.pos, body.end, funcIndex, tc);
  }
}

/**
 * Parses and structurally checks a module: header, section layout, every entry of every
 * section except custom ones, and every instruction of every function body.
 */
export function parseModule(bytes: Uint8Array): ParsedModule {
  const sections = splitSections(bytes);
  const m: ParsedModule = {
    bytes,
    sections,
    types: [],
    imports: [],
    functions: [],
    tables: 0,
    memories: [],
    globals: 0,
    exports: [],
    bodies: [],
    importedFuncs: 0,
    importedGlobals: 0,
    importedMemories: 0,
  };
  const tc: CheckContext = {
    types: m.types,
    funcs: [],
    globals: [],
    tables: [],
    memories: 0,
    elems: [],
    dataCount: null,
    refs: new Set(),
    names: new Map(),
  };
  const ctx: IndexSpace = { types: 0, funcs: 0, globals: 0, refs: tc.refs, globalTypes: [], tables: tc.tables };
  let hasCode = false;
  let dataCount: number | null = null;
  for (const s of sections) {
    const r = new Reader(bytes, s.start, s.end, sectionLabel(s.id));
    const vec = (item: () => void): void => {
      for (let n = r.u32(); n > 0; n--) item();
    };
    switch (s.id) {
      case SECTION.custom:
        continue; // name checked by splitSections; contents pass through
      case SECTION.type:
        vec(() => m.types.push(readFuncType(r)));
        ctx.types = m.types.length;
        break;
      case SECTION.import:
        vec(() => m.imports.push(readImport(r, m, ctx, tc)));
        ctx.globalTypes = tc.globals.slice();
        ctx.funcs = m.importedFuncs;
        ctx.globals = m.importedGlobals;
        break;
      case SECTION.function:
        vec(() => m.functions.push(checkIndex(r, "types", ctx)));
        ctx.funcs += m.functions.length;
        tc.funcs.push(...m.functions);
        break;
      case SECTION.table:
        vec(() => void (readTable(r, tc), m.tables++));
        break;
      case SECTION.memory:
        vec(() => void m.memories.push(readMemoryType(r)));
        tc.memories = m.memories.length;
        break;
      case SECTION.tag:
        throw new WasmValidationError(
          `unsupported ${sectionLabel(s.id)} (exception handling) at offset ${s.headerStart}`,
          s.headerStart,
        );
      case SECTION.global: {
        const n = r.u32();
        m.globals = n;
        ctx.globals += n;
        // Constant expressions see only the globals before their own (tc.globals is complete).
        ctx.globalTypes = tc.globals.slice();
        for (let i = 0; i < n; i++) {
          const global = { type: readValType(r), mutable: readMutability(r) };
          readConstExpr(r, ctx, global.type);
          tc.globals.push(global);
          ctx.globalTypes.push(global);
        }
        break;
      }
      case SECTION.export:
        readExports(r, m, ctx, tc);
        break;
      case SECTION.start:
        checkIndex(r, "funcs", ctx);
        break;
      case SECTION.element:
        tc.elems = readElementSection(r, ctx);
        break;
      case SECTION.datacount:
        dataCount = r.u32();
        tc.dataCount = dataCount;
        break;
      case SECTION.code:
        hasCode = true;
        readCode(r, m, ctx, tc);
        break;
      case SECTION.data: {
        const n = readDataSection(r, ctx);
        if (dataCount !== null && n !== dataCount) {
          throw new WasmValidationError(
            `data count section says ${dataCount} segments but the data section has ${n}`,
            s.start,
          );
        }
        dataCount = null;
        break;
      }
    }
    r.expectEnd();
  }
  if (!hasCode && m.functions.length > 0) {
    throw new WasmValidationError(
      `function section declares ${m.functions.length} functions but there is no code section`,
      bytes.length,
    );
  }
  if (dataCount !== null && dataCount !== 0) {
    throw new WasmValidationError(
      `data count section says ${dataCount} segments but there is no data section`,
      bytes.length,
    );
  }
  return m;
}
