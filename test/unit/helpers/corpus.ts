import { readFileSync, readdirSync } from "node:fs";
import { AGENT_IMPORTS, agentWat, wat } from "./wat.js";

/** Hand-written modules that exercise every construct the pipeline decodes and rewrites. */
export const CORPUS_WAT: Record<string, string> = {
  agent: agentWat(
    `(func (export "init") (result i32)
       (drop (call $send (i32.const 0) (i32.const 4)))
       (call $log (i32.const 1) (i32.const 0) (i32.const 4))
       (drop (call $now))
       (call $random (i32.const 16) (i32.const 8))
       (i32.const 0))
     (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
     (data (i32.const 0) "ping")`,
    AGENT_IMPORTS,
  ),
  loops: agentWat(`
    (func $sum (export "sum") (param $n i32) (result i64) (local $acc i64)
      (block $done
        (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $n))))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
      (local.get $acc))
    (func $nested (export "nested") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $c i32)
      (loop $outer
        (local.set $j (i32.const 0))
        (loop $inner
          (local.set $c (i32.add (local.get $c) (i32.rem_u (i32.mul (local.get $i) (local.get $j)) (i32.const 7))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $inner (i32.lt_u (local.get $j) (local.get $n))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $outer (i32.lt_u (local.get $i) (local.get $n))))
      (local.get $c))
    (func $collatz (export "collatz") (param $n i32) (result i32) (local $steps i32)
      (block $end
        (loop $step
          (br_if $end (i32.le_u (local.get $n) (i32.const 1)))
          (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
          (block $odd (block $even
            (br_table $even $odd (i32.and (local.get $n) (i32.const 1))))
            (local.set $n (i32.shr_u (local.get $n) (i32.const 1)))
            (br $step))
          (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 3)) (i32.const 1)))
          (br $step)))
      (local.get $steps))
    (func $fac (export "fac") (param $n i64) (result i64)
      (if (result i64) (i64.le_s (local.get $n) (i64.const 1))
        (then (i64.const 1))
        (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))
    (func $divmod (export "divmod") (param i32 i32) (result i32 i32)
      (i32.div_u (local.get 0) (local.get 1)) (i32.rem_u (local.get 0) (local.get 1)))
    (func (export "multi") (param $a i32) (param $b i32) (result i32)
      (local.get $a) (local.get $b)
      (block (param i32 i32) (result i32) (i32.sub))
      (i32.const 1)
      (loop (param i32 i32) (result i32) (i32.add)))`),
  features: agentWat(`
    (type $binop (func (param i32 i32) (result i32)))
    (table 4 funcref)
    (elem (i32.const 0) $add $sub)
    (elem $passive func $add)
    (data $bytes "0123456789abcdef")
    (global $g (mut i64) (i64.const 7))
    (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
    (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
    (func (export "dispatch") (param $op i32) (param $a i32) (param $b i32) (result i32)
      (call_indirect (type $binop) (local.get $a) (local.get $b) (local.get $op)))
    (func (export "tail") (param $a i32) (param $b i32) (result i32)
      (return_call $add (local.get $a) (local.get $b)))
    (func (export "bulk") (param $dst i32) (result i32)
      (memory.init $bytes (local.get $dst) (i32.const 0) (i32.const 16))
      (memory.copy (i32.add (local.get $dst) (i32.const 16)) (local.get $dst) (i32.const 16))
      (memory.fill (i32.add (local.get $dst) (i32.const 32)) (i32.const 120) (i32.const 4))
      (i32.load8_u (i32.add (local.get $dst) (i32.const 33))))
    (func (export "simd") (param $x i32) (result i32)
      (local $v v128)
      (local.set $v (i32x4.splat (local.get $x)))
      (local.set $v (i32x4.add (local.get $v) (v128.const i32x4 1 2 3 4)))
      (v128.store offset=64 (i32.const 0) (local.get $v))
      (i32.add
        (i32x4.extract_lane 3 (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (local.get $v) (local.get $v)))
        (i32.load offset=68 (i32.const 0))))
    (func (export "conv") (param $x f64) (result i32)
      (i32.add (i32.trunc_sat_f64_s (local.get $x)) (i32.extend8_s (i32.const 200))))
    (func (export "refs") (result i32)
      (i32.add (ref.is_null (ref.func $add)) (table.size))
      (drop (table.grow (ref.null func) (i32.const 0)))
      (global.set $g (i64.add (global.get $g) (i64.const 1)))
      (i32.wrap_i64 (global.get $g))
      (i32.add))
    (func $start (global.set $g (i64.const 40)))
    (start $start)`),
};

/** Assembles `CORPUS_WAT`. */
export async function corpus(): Promise<Record<string, Uint8Array<ArrayBuffer>>> {
  const out: Record<string, Uint8Array<ArrayBuffer>> = {};
  for (const [name, source] of Object.entries(CORPUS_WAT)) out[name] = await wat(source);
  return out;
}

/** The built fixture agents (`fixtures/agents/*.wasm`), when another build has produced them. */
export function fixtureAgents(): Record<string, Uint8Array<ArrayBuffer>> {
  const dir = new URL("../../../fixtures/agents/", import.meta.url);
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((f) => f.endsWith(".wasm"))
      .sort();
  } catch {
    return {};
  }
  return Object.fromEntries(
    names.map((f) => [f.replace(/\.wasm$/, ""), new Uint8Array(readFileSync(new URL(f, dir)))]),
  );
}

/**
 * Random valid modules from binaryen's `wasm-opt -ttf` (test/unit/golden/ttf, regenerated by
 * `test/unit/helpers/build-ttf.sh`): code no person wrote, in every shape the generator knows.
 */
export function ttfModules(): Record<string, Uint8Array<ArrayBuffer>> {
  const dir = new URL("../golden/ttf/", import.meta.url);
  const names = readdirSync(dir)
    .filter((f) => f.endsWith(".wasm"))
    .sort();
  return Object.fromEntries(
    names.map((f) => [`ttf-${f.replace(/\.wasm$/, "")}`, new Uint8Array(readFileSync(new URL(f, dir)))]),
  );
}
