import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { WasmValidationError, inspectModule, prepareModule, validateModule } from "../../worker/wasm/index.js";
import { HEADER, section } from "../helpers/bytes.js";
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

/**
 * Every entry point either succeeds or throws WasmValidationError; what prepareModule emits is
 * valid iff its input was. Returns whether prepareModule accepted the module.
 */
function checkAll(bytes: Uint8Array<ArrayBuffer>): boolean {
  refusesCleanly(() => inspectModule(bytes));
  refusesCleanly(() => validateModule(bytes, OPTS));
  const prepared = refusesCleanly(() => prepareModule(bytes, OPTS));
  if (!(prepared instanceof WasmValidationError)) {
    // Instrumentation must not break valid code, nor make invalid code valid (e.g. by naming
    // the appended globals); the engine is the judge of validity.
    expect(WebAssembly.validate(prepared.bytes)).toBe(WebAssembly.validate(bytes));
    return true;
  }
  return false;
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
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => void checkAll(new Uint8Array(b))), { seed: 42, numRuns: 2000 });
  });

  it("random bytes after a valid header", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => void checkAll(new Uint8Array([...HEADER, ...b]))),
      { seed: 42, numRuns: 2000 },
    );
  });

  it("random well-framed sections", () => {
    const sections = fc.array(
      fc.record({ id: fc.integer({ min: 0, max: 13 }), payload: fc.uint8Array({ maxLength: 24 }) }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(sections, (ss) => void checkAll(new Uint8Array([...HEADER, ...ss.flatMap((s) => section(s.id, [...s.payload]))]))),
      { seed: 42, numRuns: 2000 },
    );
  });

  it("valid modules with random mutations, insertions, deletions and truncations", () => {
    let prepared = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (pick, ops) => {
        const bytes = mutateModule(bases[pick % bases.length]!, ops);
        if (checkAll(bytes)) prepared++;
        if (WebAssembly.validate(bytes)) {
          const result = refusesCleanly(() => inspectModule(bytes));
          if (result instanceof WasmValidationError) expect(result.message).toMatch(DELIBERATE);
        }
      }),
      { seed: 42, numRuns: 3000 },
    );
    expect(prepared).toBeGreaterThan(100); // the property is not vacuous
  });

  it("valid modules with random edits inside function bodies (sizes re-encoded)", () => {
    let prepared = 0;
    let validPrepared = 0;
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), (pick, body, ops) => {
        const bytes = mutateBody(bases[pick % bases.length]!, body, ops);
        const accepted = checkAll(bytes);
        if (accepted) prepared++;
        if (WebAssembly.validate(bytes)) {
          if (accepted) validPrepared++;
          const result = refusesCleanly(() => inspectModule(bytes));
          if (result instanceof WasmValidationError) expect(result.message).toMatch(DELIBERATE);
        }
      }),
      { seed: 42, numRuns: 3000 },
    );
    // Not vacuous: many edited modules get instrumented, valid ones among them.
    expect(prepared).toBeGreaterThan(300);
    expect(validPrepared).toBeGreaterThan(50);
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
