#!/bin/sh
# Regenerates test/unit/golden/ttf/: random valid modules from binaryen's translate-to-fuzz
# (`apt-get install binaryen`, version 108), each from a fixed pseudo-random seed file, with the
# features both the pipeline and Node 20's V8 support. wasm-fuzz.test.ts checks that the
# validator agrees with V8 on them and on mutations of them.
set -eu
out="$(dirname "$0")/../golden/ttf"
mkdir -p "$out"
features="--disable-gc --disable-exception-handling --disable-threads --disable-memory64 --disable-relaxed-simd
  --disable-extended-const --disable-typed-function-references
  --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int --enable-simd --enable-bulk-memory
  --enable-tail-call --enable-reference-types --enable-multivalue"
for i in $(seq -w 1 48); do
  # A deterministic seed of 2-6 KB per module (sha256 chained), so the corpus is reproducible.
  seed="$(mktemp)"
  n=$(( ($(echo "$i" | sed "s/^0*//") % 5 + 2) * 32 ))
  s="agtest-ttf-$i"
  : > "$seed"
  for _ in $(seq 1 "$n"); do s="$(printf %s "$s" | sha256sum | cut -c1-64)"; printf %s "$s" | xxd -r -p >> "$seed"; done
  # shellcheck disable=SC2086
  wasm-opt -ttf "$seed" $features -o "$out/$i.wasm" 2>/dev/null
  rm -f "$seed"
done
