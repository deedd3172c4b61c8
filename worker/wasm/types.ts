/** Kinds of import and export (external kinds of the binary format). */
export type ExternKind = "func" | "table" | "memory" | "global" | "tag";

/** What the pipeline learned about a module; returned by every entry point. */
export type ModuleInfo = {
  imports: { module: string; name: string; kind: ExternKind }[];
  exports: { name: string; kind: ExternKind }[];
  /** The module's first memory (imported or defined), `null` when it has none. */
  memory: { initial: number; maximum: number | null } | null;
  /** Whether the module exports `init`. */
  hasInit: boolean;
  /** Number of functions defined (not imported) by the module. */
  functions: number;
};

/** Options of `prepareModule`. */
export type PrepareOptions = {
  /** The agent's memory limit in 64 KiB pages (the default limit of 16 MiB is 256 pages). */
  maxMemoryPages: number;
  /** Initial value of the fuel global, so that a start function is bounded too. */
  fuel: bigint;
};

/** A module ready to run: instrumented bytes and the memory limits it will get. */
export type PreparedModule = {
  /** The instrumented module (backed by a plain ArrayBuffer, ready for `WebAssembly.Module`). */
  bytes: Uint8Array<ArrayBuffer>;
  info: ModuleInfo;
  memory: { initial: number; maximum: number };
};

/** A function type; value types are their binary codes (0x7f = i32, ...). */
export type FuncType = { params: number[]; results: number[] };

/** Memory or table limits. */
export type Limits = { initial: number; maximum: number | null };

/** One import, with what the ABI check needs. */
export type Import = {
  module: string;
  name: string;
  kind: ExternKind;
  /** Type index for a function import. */
  typeIndex: number;
  /** Limits for a memory import. */
  limits: Limits | null;
};

/** One export. */
export type Export = { name: string; kind: ExternKind; index: number };

/** A raw section: `id`, where its header starts and where its payload lies. */
export type Section = { id: number; headerStart: number; start: number; end: number };

/** A function body: the entry after its size, and the index of its function. */
export type Body = { start: number; end: number; funcIndex: number };

/**
 * A point where instrumentation changes the code: `fuel` inserts a fuel check charging `cost`
 * right at `at` (after a `loop` header); `grow` replaces the `length` bytes of a `memory.grow`;
 * `flush` stores the fuel local to the global before the instruction at `at`; `call` flushes
 * before the call at `at` (unless `flush` is false: the global holds the local's value already)
 * and reloads after it (at `end`); `bulk` charges the length operand of
 * the bulk memory or table instruction at `at` before it runs.
 */
export type Patch =
  | { kind: "fuel"; at: number; cost: number }
  | { kind: "grow"; at: number; length: number }
  | { kind: "flush"; at: number }
  | { kind: "call"; at: number; end: number; flush: boolean }
  | { kind: "bulk"; at: number };

/**
 * The decoded plan for one function body: where instructions begin, entry cost and patches;
 * `localsAt` is where the local declarations begin (after their count, `groups`), `fuelLocal`
 * the index the fuel counter local gets (after parameters and declared locals; a scratch i32
 * follows it).
 */
export type BodyPlan = {
  body: Body;
  codeStart: number;
  cost: number;
  patches: Patch[];
  localsAt: number;
  groups: number;
  fuelLocal: number;
};

/** Everything the parser decoded; entries of pass-through sections are kept as counts only. */
export type ParsedModule = {
  bytes: Uint8Array;
  sections: Section[];
  types: FuncType[];
  imports: Import[];
  /** Type index of each defined function. */
  functions: number[];
  tables: number;
  memories: Limits[];
  /** Number of defined globals. */
  globals: number;
  exports: Export[];
  bodies: BodyPlan[];
  importedFuncs: number;
  importedGlobals: number;
  importedMemories: number;
};
