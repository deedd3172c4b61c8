import fc from "fast-check";
import { parseModule } from "../../../worker/wasm/parse.js";
import { leb, section } from "../../helpers/bytes.js";

/** One random edit of a byte array. */
export type Mutation =
  | { kind: "set"; at: number; value: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "delete"; at: number; length: number }
  | { kind: "truncate"; at: number };

/** Random edits, mostly in place (which keep the framing of sections and bodies intact). */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant("set" as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("insert" as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("delete" as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 6 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }) },
);

/** Applies `ops` to `bytes[from..]`. */
export function applyMutations(bytes: Uint8Array, ops: Mutation[], from = 0): number[] {
  let out = Array.from(bytes);
  for (const op of ops) {
    const at = from + (op.at % Math.max(1, out.length - from));
    if (op.kind === "set") out[at] = op.value;
    else if (op.kind === "insert") out.splice(at, 0, ...op.bytes);
    else if (op.kind === "delete") out.splice(at, op.length);
    else out = out.slice(0, at);
  }
  return out;
}

/** Mutates the module's bytes after the header (section framing may break). */
export function mutateModule(base: Uint8Array, ops: Mutation[]): Uint8Array<ArrayBuffer> {
  return new Uint8Array(applyMutations(base, ops, 8));
}

/**
 * Mutates the instructions of one function body and re-encodes the body and code-section sizes,
 * so that the edit reaches the instruction decoder and the instrumenter instead of the framing.
 */
export function mutateBody(base: Uint8Array, pick: number, ops: Mutation[]): Uint8Array<ArrayBuffer> {
  let m = parsed.get(base);
  if (m === undefined) parsed.set(base, (m = parseModule(base)));
  const code = m.sections.find((s) => s.id === 10);
  if (code === undefined || m.bodies.length === 0) return new Uint8Array(base);
  const plan = m.bodies[pick % m.bodies.length]!;
  const { start, end } = plan.body;
  const body = applyMutations(base.subarray(start, end), ops, plan.codeStart - start);
  const before = base.subarray(code.start, start - leb(end - start).length); // count and earlier bodies
  const after = base.subarray(end, code.end);
  const payload = [...before, ...leb(body.length), ...body, ...after];
  return concat(base.subarray(0, code.headerStart), new Uint8Array(section(10, payload)), base.subarray(code.end));
}

const parsed = new WeakMap<Uint8Array, ReturnType<typeof parseModule>>();

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
