import { beforeAll, describe, expect, it } from "vitest";
import { WasmValidationError, inspectModule, prepareModule, validateModule } from "../../worker/wasm/index.js";
import { HEADER, leb, module, moduleWithBody, section } from "../helpers/bytes.js";
import { AGENT_IMPORTS, agentWat, wat } from "./helpers/wat.js";

const LIMIT = { maxMemoryPages: 256 };

/** The error `fn` throws, which must be a WasmValidationError. */
function rejection(fn: () => unknown): WasmValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WasmValidationError);
    return e as WasmValidationError;
  }
  throw new Error("expected a WasmValidationError, nothing was thrown");
}

function rejectsValidate(bytes: Uint8Array, message: string | RegExp): WasmValidationError {
  const e = rejection(() => validateModule(bytes, LIMIT));
  if (typeof message === "string") expect(e.message).toBe(message);
  else expect(e.message).toMatch(message);
  expect(e.name).toBe("WasmValidationError");
  // prepareModule validates the same way.
  expect(rejection(() => prepareModule(bytes, { ...LIMIT, fuel: 1000n })).message).toBe(e.message);
  return e;
}

describe("structure", () => {
  it("rejects a bad magic number and empty input", () => {
    rejectsValidate(new Uint8Array([1, 2, 3, 4, 1, 0, 0, 0]), "bad magic number (not a WebAssembly module)");
    rejectsValidate(new Uint8Array([]), /^bad magic number/);
    rejectsValidate(new TextEncoder().encode("<html>"), /^bad magic number/);
  });

  it("rejects an unsupported version and a truncated header", () => {
    rejectsValidate(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]), "unsupported version 2 (only 1 is supported)");
    rejectsValidate(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0]), "truncated module header at offset 4");
  });

  it("rejects a section whose size overruns the module", () => {
    const e = rejectsValidate(
      module([10, 100, 1, 2, 3]),
      /^truncated section 10 \(code\) at offset 8: its size is 100 bytes but only 3 remain$/,
    );
    expect(e.offset).toBe(8);
  });

  it("rejects a section whose contents are truncated", () => {
    rejectsValidate(module(section(1, [1, 0x60, 1])), "truncated section 1 (type) at offset 13");
    rejectsValidate(module([1]), "truncated module at offset 9");
  });

  it("rejects trailing bytes inside a section", () => {
    rejectsValidate(
      module(section(1, [1, 0x60, 0, 0, 0x99])),
      "unexpected trailing bytes in section 1 (type) at offset 14",
    );
  });

  it("rejects sections out of order, duplicated, or unknown", () => {
    const type = section(1, [1, 0x60, 0, 0]);
    const func = section(3, [1, 0]);
    rejectsValidate(module(func, type), "section 1 (type) out of order at offset 12");
    rejectsValidate(module(type, type), "duplicate section 1 (type) at offset 14");
    rejectsValidate(module(section(14, [])), "unknown section id 14 at offset 8");
    rejectsValidate(module(section(13, [0])), "unsupported section 13 (tag) (exception handling) at offset 8");
  });

  it("accepts custom sections anywhere but checks their names", () => {
    const custom = section(0, [4, ...new TextEncoder().encode("note"), 1, 2, 3]);
    expect(inspectModule(module(custom, section(1, [0]), custom)).functions).toBe(0);
    rejectsValidate(module(section(0, [2, 0xc3, 0x28])), "bad UTF-8 in name at offset 11");
    rejectsValidate(module(section(0, [])), "truncated section 0 (custom) at offset 10");
  });

  it("rejects bad LEB128", () => {
    rejectsValidate(module([1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), "bad LEB128 at offset 9 (too long)");
    rejectsValidate(module([1, 0x80, 0x80, 0x80, 0x80, 0x10]), "bad LEB128 at offset 9 (unused bits set)");
  });

  it("rejects bad UTF-8 in import and export names", () => {
    const bad = [2, 0xed, 0xa0]; // an encoded surrogate is not UTF-8
    rejectsValidate(
      module(section(1, [1, 0x60, 0, 0]), section(2, [1, ...bad, 1, 0x61, 0, 0])),
      "bad UTF-8 in name at offset 18",
    );
  });

  it("rejects function and code sections that disagree", () => {
    const type = section(1, [1, 0x60, 0, 0]);
    rejectsValidate(
      module(type, section(3, [2, 0, 0]), section(10, [1, 2, 0, 0x0b])),
      "function section declares 2 functions but the code section has 1 bodies",
    );
    rejectsValidate(
      module(type, section(3, [1, 0])),
      "function section declares 1 functions but there is no code section",
    );
    rejectsValidate(
      module(type, section(3, [1, 5]), section(10, [1, 2, 0, 0x0b])),
      "type index 5 out of range (1 defined) at offset 17",
    );
  });

  it("rejects a body overrunning the code section", () => {
    rejectsValidate(
      module(section(1, [1, 0x60, 0, 0]), section(3, [1, 0]), section(10, [1, 9, 0, 0x0b])),
      /^truncated section 10 \(code\) at offset/,
    );
  });

  it("rejects function bodies that do not end cleanly", () => {
    rejectsValidate(moduleWithBody([0x01]), /^function 0 ends without a final `end` at offset \d+$/);
    rejectsValidate(moduleWithBody([0x02, 0x40, 0x0b]), /^function 0 ends without a final `end`/);
    rejectsValidate(moduleWithBody([0x0b, 0x01]), /^unexpected trailing bytes in body of function 0 at offset \d+$/);
    rejectsValidate(moduleWithBody([0x05, 0x0b]), /^`else` without `if` in function 0 at offset \d+$/);
    rejectsValidate(moduleWithBody([0x41]), /^truncated body of function 0 at offset \d+$/);
  });

  it("rejects unknown and unsupported instructions with their offset", () => {
    const e = rejectsValidate(moduleWithBody([0x27, 0x0b]), /^unknown instruction 0x27 at offset \d+$/);
    expect(e.offset).toBeGreaterThan(8);
    rejectsValidate(moduleWithBody([0xfd, 0x9a, 0x01, 0x0b]), /^unknown instruction 0xfd 154 at offset/);
    rejectsValidate(moduleWithBody([0xfc, 0x12, 0x0b]), /^unknown instruction 0xfc 18 at offset/);
    rejectsValidate(moduleWithBody([0xfe, 0x03, 0x00, 0x0b]), /^unsupported instruction 0xfe \(threads\) at offset/);
    rejectsValidate(
      moduleWithBody([0x06, 0x40, 0x0b, 0x0b]),
      /^unsupported instruction 0x06 \(exception handling\) at offset/,
    );
    rejectsValidate(
      moduleWithBody([0xd0, 0x70, 0xd4, 0x1a, 0x0b]),
      /^unsupported instruction 0xd4 \(typed references \/ GC\) at offset/,
    );
  });

  it("rejects index immediates beyond the module's index spaces", () => {
    // These would name the globals and function that instrumentation appends.
    rejectsValidate(moduleWithBody([0x23, 0x01, 0x1a, 0x0b]), /^global index 1 out of range \(1 defined\) at offset/);
    rejectsValidate(moduleWithBody([0x42, 0x00, 0x24, 0x01, 0x0b]), /^global index 1 out of range/);
    rejectsValidate(moduleWithBody([0x10, 0x01, 0x0b]), /^function index 1 out of range \(1 defined\)/);
    rejectsValidate(moduleWithBody([0xd2, 0x01, 0x1a, 0x0b]), /^function index 1 out of range/);
    rejectsValidate(moduleWithBody([0x41, 0x00, 0x11, 0x01, 0x00, 0x0b]), /^type index 1 out of range/);
    rejectsValidate(moduleWithBody([0x02, 0x01, 0x0b, 0x0b]), /^block type index 1 out of range/);
  });

  it("rejects a non-zero memory index byte", () => {
    rejectsValidate(moduleWithBody([0x41, 0x00, 0x40, 0x01, 0x1a, 0x0b]), /^expected memory index byte 0x00 at offset/);
  });

  it("rejects shared, 64-bit and oversized memories", () => {
    const mem = (limits: number[]): Uint8Array => module(section(5, [1, ...limits]));
    rejectsValidate(mem([0x03, 1, 2]), "shared memory is not allowed (offset 11)");
    rejectsValidate(mem([0x04, 1]), "64-bit memory (memory64) is not supported (offset 11)");
    rejectsValidate(mem([0x01, 2, 1]), "memory initial size 2 exceeds its maximum 1 (offset 11)");
    rejectsValidate(mem([0x01, 0, ...leb(65537)]), "memory maximum 65537 pages exceeds 65536 pages (offset 11)");
  });
});

describe("agtest/1 ABI", () => {
  let agent: Uint8Array;
  beforeAll(async () => {
    agent = await wat(agentWat());
  });

  it("accepts a minimal agent and describes it", () => {
    const info = validateModule(agent, LIMIT);
    expect(info).toEqual({
      imports: [],
      exports: [
        { name: "memory", kind: "memory" },
        { name: "alloc", kind: "func" },
        { name: "handle", kind: "func" },
      ],
      memory: { initial: 1, maximum: null },
      hasInit: false,
      functions: 2,
    });
  });

  it("accepts every allowed import and an `init` export", async () => {
    const bytes = await wat(agentWat(`(func (export "init") (result i32) (i32.const 0))`, AGENT_IMPORTS));
    const info = validateModule(bytes, LIMIT);
    expect(info.imports.map((i) => `${i.module}.${i.name}`)).toEqual([
      "agent.send",
      "agent.log",
      "agent.now",
      "agent.random",
      "env.abort",
    ]);
    expect(info.hasInit).toBe(true);
    expect(info.functions).toBe(3);
  });

  it.each([
    [
      "memory",
      `(module (func (export "alloc") (param i32) (result i32) (local.get 0)) (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))`,
    ],
    [
      "alloc",
      `(module (memory (export "memory") 1) (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))`,
    ],
    ["handle", `(module (memory (export "memory") 1) (func (export "alloc") (param i32) (result i32) (local.get 0)))`],
  ])("rejects a module without `%s`", async (name, source) => {
    const bytes = await wat(source);
    rejectsValidate(
      bytes,
      name === "memory" ? "the module must define exactly one memory (found 0)" : `missing export \`${name}\``,
    );
  });

  it("rejects a missing `memory` export when the memory is not exported", async () => {
    const bytes = await wat(
      `(module (memory 1) (func (export "alloc") (param i32) (result i32) (local.get 0)) (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))`,
    );
    rejectsValidate(bytes, "missing export `memory`");
  });

  it.each([
    [
      "alloc",
      `(func (export "alloc") (param i64) (result i32) (i32.const 0))`,
      "export `alloc` must be a function (i32) -> i32",
    ],
    [
      "handle",
      `(func (export "handle") (param i32) (result i32) (i32.const 0))`,
      "export `handle` must be a function (i32, i32) -> i32",
    ],
    [
      "init",
      `(func (export "init") (param i32) (result i32) (i32.const 0))`,
      "export `init` must be a function () -> i32",
    ],
  ])("rejects `%s` with the wrong signature", async (name, func, message) => {
    const others = agentWat().replace(`(func (export "${name}")`, `(func (export "${name}_old")`);
    rejectsValidate(await wat(others.replace(/\)$/, `${func})`)), message);
  });

  it("rejects exports of the wrong kind", async () => {
    const global = await wat(`(module (memory 1) (global (export "memory") i32 (i32.const 0))
      (func (export "alloc") (param i32) (result i32) (local.get 0)) (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))`);
    rejectsValidate(global, "export `memory` must be a memory");
    const handleGlobal = await wat(`(module (memory (export "memory") 1) (global (export "handle") i32 (i32.const 0))
      (func (export "alloc") (param i32) (result i32) (local.get 0)))`);
    rejectsValidate(handleGlobal, "export `handle` must be a function (i32, i32) -> i32");
  });

  it("rejects the runtime's reserved export names", async () => {
    rejectsValidate(
      await wat(agentWat(`(global (export "__agtest_fuel") (mut i64) (i64.const 0))`)),
      "export name `__agtest_fuel` is reserved for the runtime",
    );
    rejectsValidate(
      await wat(agentWat(`(func (export "__agtest_oom"))`)),
      "export name `__agtest_oom` is reserved for the runtime",
    );
  });

  it("rejects forbidden imports, naming them and what their module provides", async () => {
    const wasi = await wat(
      agentWat(
        "",
        `(import "wasi_snapshot_preview1" "path_open" (func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))`,
      ),
    );
    rejectsValidate(
      wasi,
      "forbidden import `wasi_snapshot_preview1.path_open` (WASI: the runtime implements only fd_write, fd_close, fd_seek, fd_fdstat_get, " +
        "random_get, clock_time_get, proc_exit, environ_sizes_get, environ_get, args_sizes_get and args_get " +
        "(stdout and stderr go to the agent's log, no files, sockets or environment))",
    );
    const fetch = await wat(agentWat("", `(import "agent" "fetch" (func (param i32 i32) (result i32)))`));
    rejectsValidate(
      fetch,
      "forbidden import `agent.fetch` (the `agent` module provides only send, log, now, random, state_get, state_put, state_delete and timer_set)",
    );
    const table = await wat(agentWat("", `(import "env" "table" (table 1 funcref))`));
    rejectsValidate(
      table,
      "forbidden import `env.table` (only `agent.*`, `env.abort` and the WASI subset are allowed)",
    );
  });

  it("lists every import problem at once, in import order", async () => {
    const bytes = await wat(`(module
      (import "env" "seed" (func (result f64)))
      (import "wasi_snapshot_preview1" "sock_accept" (func (param i32 i32 i32) (result i32)))
      (import "agent" "send" (func (param i32) (result i32)))
      (import "env" "memory" (memory 1))
      (export "memory" (memory 0))
      (func (export "alloc") (param i32) (result i32) (local.get 0))
      (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))`);
    const e = rejectsValidate(bytes, /^4 import problems: /);
    expect(
      e.message
        .slice("4 import problems: ".length)
        .split("; ")
        .map((p) => p.split(" (")[0]),
    ).toEqual([
      "forbidden import `env.seed`",
      "forbidden import `wasi_snapshot_preview1.sock_accept`",
      "import `agent.send` must be a function",
      "imported memory is not allowed",
    ]);
  });

  it("accepts the WASI preview1 subset wasi-libc and Rust's std import, and a reactor's `_initialize`", async () => {
    const bytes = await wat(
      agentWat(
        `(func (export "_initialize"))`,
        `
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_close" (func (param i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_seek" (func (param i32 i64 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_fdstat_get" (func (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "random_get" (func (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
      (import "wasi_snapshot_preview1" "environ_sizes_get" (func (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "environ_get" (func (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "args_sizes_get" (func (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "args_get" (func (param i32 i32) (result i32)))`,
      ),
    );
    expect(validateModule(bytes, LIMIT).imports.filter((i) => i.module === "wasi_snapshot_preview1")).toHaveLength(11);
    rejectsValidate(
      await wat(agentWat(`(func (export "_initialize") (result i32) (i32.const 0))`)),
      "export `_initialize` must be a function () -> ()",
    );
  });

  it("rejects an imported memory with its own message", async () => {
    const bytes = await wat(`(module (import "env" "memory" (memory 1)) (export "memory" (memory 0))
      (func (export "alloc") (param i32) (result i32) (local.get 0)) (func (export "handle") (param i32 i32) (result i32) (i32.const 0)))`);
    rejectsValidate(bytes, "imported memory is not allowed (`env.memory`)");
  });

  it("rejects allowed imports with the wrong signature or kind", async () => {
    rejectsValidate(
      await wat(agentWat("", `(import "agent" "send" (func (param i32) (result i32)))`)),
      "import `agent.send` must be a function (i32, i32) -> i32",
    );
    rejectsValidate(
      await wat(agentWat("", `(import "agent" "now" (func (result i32)))`)),
      "import `agent.now` must be a function () -> i64",
    );
    rejectsValidate(
      await wat(agentWat("", `(import "env" "abort" (func (param i32 i32 i32)))`)),
      "import `env.abort` must be a function (i32, i32, i32, i32) -> ()",
    );
    rejectsValidate(
      await wat(agentWat("", `(import "agent" "log" (global i32))`)),
      "import `agent.log` must be a function (i32, i32, i32) -> ()",
    );
  });

  it("enforces the memory limit on the initial size", async () => {
    const big = await wat(agentWat().replace(`(memory (export "memory") 1)`, `(memory (export "memory") 300)`));
    rejectsValidate(big, "memory initial size 300 pages exceeds the limit of 256 pages");
    expect(validateModule(big, { maxMemoryPages: 300 }).memory).toEqual({ initial: 300, maximum: null });
  });

  it("rejects a second memory", async () => {
    rejectsValidate(module(section(5, [2, 0, 1, 0, 1])), "the module must define exactly one memory (found 2)");
  });

  it("treats bad options as programming errors", () => {
    expect(() => validateModule(agent, { maxMemoryPages: 70000 })).toThrow(RangeError);
    expect(() => prepareModule(agent, { maxMemoryPages: 1, fuel: -1n })).toThrow(RangeError);
  });
});

describe("inspectModule", () => {
  it("describes any well-formed module without ABI checks", async () => {
    const bytes =
      await wat(`(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (memory 2 5) (func (export "_start")))`);
    expect(inspectModule(bytes)).toEqual({
      imports: [{ module: "wasi_snapshot_preview1", name: "fd_write", kind: "func" }],
      exports: [{ name: "_start", kind: "func" }],
      memory: { initial: 2, maximum: 5 },
      hasInit: false,
      functions: 1,
    });
    expect(inspectModule(new Uint8Array(HEADER)).memory).toBeNull();
  });

  it("decodes the instruction set the pipeline supports", async () => {
    const bytes = await wat(`(module
      (type $pair (func (param i32) (result i32 i32)))
      (memory 1) (table 2 funcref) (elem declare func $f) (data $d "abc")
      (func $f (param i32) (result i32 i32) (local.get 0) (local.get 0))
      (func $g (param i32) (result i32) (local.get 0))
      (func (param $x i32) (param $v v128) (result i32)
        (drop (i32.extend8_s (local.get $x)))
        (drop (i32.trunc_sat_f32_s (f32.const 1.5)))
        (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))
        (memory.copy (i32.const 0) (i32.const 0) (i32.const 0))
        (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0))
        (data.drop $d)
        (drop (ref.is_null (ref.func $f)))
        (drop (table.grow (ref.null func) (i32.const 1)))
        (drop (select (result i32) (i32.const 1) (i32.const 2) (local.get $x)))
        (local.get $x)
        (block $b (param i32) (result i32 i32) (call $f))
        (drop) (drop)
        (drop (i8x16.extract_lane_s 3 (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (local.get $v) (v128.const i32x4 1 2 3 4))))
        (v128.store offset=16 (i32.const 0) (v128.load32_lane 1 (i32.const 0) (local.get $v)))
        (block $out (br_table $out $out $out (local.get $x)))
        (return_call $g (local.get $x))))`);
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(inspectModule(bytes).functions).toBe(3);
  });
});
