import { FUEL_EXPORT, OOM_EXPORT, type PrepareOptions, prepareModule } from "../../../worker/wasm/index.js";
import { stubImports } from "./wat.js";

/** Generous fuel, for tests that are not about running out of it. */
export const PLENTY = 1n << 60n;

/** An instance of a prepared module, with typed access to the runtime globals. */
export type Prepared = {
  exports: WebAssembly.Exports;
  fuel: WebAssembly.Global;
  oom: WebAssembly.Global;
  fn: (name: string) => (...args: (number | bigint)[]) => unknown;
};

/** Prepares `bytes` and instantiates the result with `imports`. */
export function instantiatePrepared(
  bytes: Uint8Array,
  opts: Partial<PrepareOptions> = {},
  imports: WebAssembly.Imports = {},
): Prepared {
  const prepared = prepareModule(bytes, { maxMemoryPages: 256, fuel: PLENTY, ...opts });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(prepared.bytes), imports);
  const { exports } = instance;
  return {
    exports,
    fuel: global(exports, FUEL_EXPORT),
    oom: global(exports, OOM_EXPORT),
    fn: (name) => fn(exports, name),
  };
}

/** Instantiates `bytes` as they are. */
export function instantiate(bytes: Uint8Array<ArrayBuffer>, imports: WebAssembly.Imports = {}): WebAssembly.Exports {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;
}

/** An exported function, typed loosely for tests. */
export function fn(exports: WebAssembly.Exports, name: string): (...args: (number | bigint)[]) => unknown {
  const f = exports[name];
  if (typeof f !== "function") throw new Error(`no exported function ${name}`);
  return f as (...args: (number | bigint)[]) => unknown;
}

/** An exported global. */
export function global(exports: WebAssembly.Exports, name: string): WebAssembly.Global {
  const g = exports[name];
  if (!(g instanceof WebAssembly.Global)) throw new Error(`no exported global ${name}`);
  return g;
}

/** The exported memory. */
export function memory(exports: WebAssembly.Exports): WebAssembly.Memory {
  const m = exports["memory"];
  if (!(m instanceof WebAssembly.Memory)) throw new Error("no exported memory");
  return m;
}

/** What calling an export did: its value, or the trap's text. */
export type Outcome = { value: unknown } | { trap: string };

/** Runs `call`, turning a throw into an `Outcome`. */
export function outcome(call: () => unknown): Outcome {
  try {
    return { value: call() };
  } catch (e) {
    return { trap: String(e) };
  }
}

/** An agent instance with recording stubs: feed it messages the way the host does. */
export type RecordingAgent = {
  exports: WebAssembly.Exports;
  /** Calls `init` when exported. */
  init: () => Outcome | null;
  /** Writes `message` through `alloc` and calls `handle`; returns its outcome and what it sent. */
  feed: (message: string) => { code: Outcome; sends: string[] };
};

/** Instantiates an agent as is (`prepare` undefined) or prepared with `prepare`, with stub imports. */
export function recordingAgent(bytes: Uint8Array<ArrayBuffer>, prepare?: Partial<PrepareOptions>): RecordingAgent {
  let exports: WebAssembly.Exports | undefined;
  const stub = stubImports(() => memory(exports!));
  exports =
    prepare === undefined
      ? instantiate(bytes, stub.imports)
      : instantiatePrepared(bytes, prepare, stub.imports).exports;
  const ex = exports;
  return {
    exports: ex,
    init: () => (typeof ex["init"] === "function" ? outcome(() => fn(ex, "init")()) : null),
    feed(message) {
      const bytes = new TextEncoder().encode(message);
      stub.sends.length = 0;
      const code = outcome(() => {
        const ptr = fn(ex, "alloc")(bytes.length) as number;
        new Uint8Array(memory(ex).buffer, ptr, bytes.length).set(bytes);
        return fn(ex, "handle")(ptr, bytes.length);
      });
      return { code, sends: [...stub.sends] };
    },
  };
}
