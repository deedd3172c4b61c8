import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { WasmValidationError, inspectModule, prepareModule, validateModule } from "../../worker/wasm/index.js";
import { HEADER, section } from "./helpers/bytes.js";
import { corpus, fixtureAgents } from "./helpers/corpus.js";
import { mutateBody, mutateModule, mutation } from "./helpers/mutate.js";

const OPTS = { maxMemoryPages: 64, fuel: 1_000_000n };

/** Runs `f`; a WasmValidationError counts as a clean refusal, anything else fails the property. */
function refusesCleanly<T>(f: () => T): T | WasmValidationError {
  try {
    return f();
  } catch (e) {
    if (e instanceof WasmValidationError) return e;
    throw new Error(`not a WasmValidationError: ${String(e)}`, { cause: e });
  }
}

/** Every entry point either succeeds or throws WasmValidationError; what prepareModule emits is valid iff its input was. */
function checkAll(bytes: Uint8Array<ArrayBuffer>): void {
  refusesCleanly(() => inspectModule(bytes));
  refusesCleanly(() => validateModule(bytes, OPTS));
  const prepared = refusesCleanly(() => prepareModule(bytes, OPTS));
  if (!(prepared instanceof WasmValidationError)) {
    // Instrumentation must not break valid code, nor make invalid code valid (e.g. by naming
    // the appended globals); the engine is the judge of validity.
    expect(WebAssembly.validate(prepared.bytes)).toBe(WebAssembly.validate(bytes));
  }
}

// Rejections of modules V8 accepts that are deliberate: proposals we do not support, and the
// MVP's stricter single-byte encodings of memory indices.
const DELIBERATE = /unsupported|expected memory index byte/;

describe("property: refuses cleanly, never emits broken modules", { timeout: 120_000 }, () => {
  let bases: Uint8Array<ArrayBuffer>[];
  beforeAll(async () => {
    bases = [...Object.values(await corpus()), ...Object.values(fixtureAgents())];
  });

  it("random bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => checkAll(new Uint8Array(b))), { seed: 42, numRuns: 2000 });
  });

  it("random bytes after a valid header", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => checkAll(new Uint8Array([...HEADER, ...b]))),
      { seed: 42, numRuns: 2000 },
    );
  });

  it("random well-framed sections", () => {
    const sections = fc.array(
      fc.record({ id: fc.integer({ min: 0, max: 13 }), payload: fc.uint8Array({ maxLength: 24 }) }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(sections, (ss) => checkAll(new Uint8Array([...HEADER, ...ss.flatMap((s) => section(s.id, [...s.payload]))]))),
      { seed: 42, numRuns: 2000 },
    );
  });

  it("valid modules with random mutations, insertions, deletions and truncations", () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (pick, ops) => {
        const bytes = mutateModule(bases[pick % bases.length]!, ops);
        checkAll(bytes);
        (globalThis as any).__stats ??= { n: 0, v8: 0, prep: 0, rej: {} };
        const st = (globalThis as any).__stats; st.n++;
        if (WebAssembly.validate(bytes)) st.v8++;
        try { prepareModule(bytes, OPTS); st.prep++; } catch (e) { const m = String((e as Error).message).replace(/\d+/g, "N"); st.rej[m] = (st.rej[m] ?? 0) + 1; }
        if (WebAssembly.validate(bytes)) {
          const result = refusesCleanly(() => inspectModule(bytes));
          if (result instanceof WasmValidationError) expect(result.message).toMatch(DELIBERATE);
        }
      }),
      { seed: 42, numRuns: 3000 },
    );
    const st = (globalThis as any).__stats; console.log(st.n, st.v8, st.prep, Object.entries(st.rej).sort((a: any, b: any) => b[1] - a[1]).slice(0, 40));
  });

  it("valid modules with random edits inside function bodies (sizes re-encoded)", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), (pick, body, ops) => {
        const bytes = mutateBody(bases[pick % bases.length]!, body, ops);
        checkAll(bytes);
        (globalThis as any).__s2 ??= { n: 0, v8: 0, prep: 0, both: 0 };
        const st = (globalThis as any).__s2; st.n++;
        const v = WebAssembly.validate(bytes); if (v) st.v8++;
        try { prepareModule(bytes, OPTS); st.prep++; if (v) st.both++; } catch {}
        if (WebAssembly.validate(bytes)) {
          const result = refusesCleanly(() => inspectModule(bytes));
          if (result instanceof WasmValidationError) expect(result.message).toMatch(DELIBERATE);
        }
      }),
      { seed: 42, numRuns: 3000 },
    );
    console.log((globalThis as any).__s2);
  });

  it("every truncation of every corpus module: accepted exactly when V8 accepts it", () => {
    // Only a cut at a section boundary can leave a well-formed module; everything else must be
    // refused, and so must boundaries that leave declared functions without bodies.
    for (const base of bases) {
      const step = Math.max(1, Math.floor(base.length / 1500)); // sample the large fixtures
      for (let n = 0; n < base.length; n += step) {
        const prefix = base.subarray(0, n);
        const accepted = !(refusesCleanly(() => inspectModule(prefix)) instanceof WasmValidationError);
        expect(accepted, `truncated to ${n} bytes`).toBe(WebAssembly.validate(prefix));
      }
    }
  });
});
