import { HOST_FUEL } from "../../wasm/costs.js";
import type { AgentLog, CallOptions, FailurePhase, GlueDurable, Link, SandboxOutcome } from "./contract.js";
import { Durable, pullRestore, spill } from "./durable.js";
import { classify, SandboxFault } from "./faults.js";
import { fillRandom, wasi } from "./wasi.js";

/**
 * The glue of one agent isolate (ABI `agtest/1`), for the instrumented module `wasmModule`:
 * instantiates it once per isolate, implements the `agent.*` imports, sets the fuel budget before
 * every call, and returns what the agent emitted with `send`. A trap drops the instance (its
 * memory may be half-written) so the next message starts from a fresh one; the fuel and OOM
 * globals tell a limit violation from any other trap (`faults.ts`). Host calls are charged to the
 * fuel global (`HOST_FUEL`) before they do their work. It also implements the WASI preview1 subset
 * the validator admits (`wasi.ts`) and calls a WASI reactor's `_initialize` once per new instance,
 * before `init` (not on one restored from a checkpoint: its memory already holds what they did).
 * Checkpoints, state and timers (durable agents) are in `durable.ts`.
 *
 * Plain TypeScript with no Workers import, so the unit tests run it in Node on the fixture agents;
 * `entry.ts` wraps it in the isolate's `WorkerEntrypoint`.
 */
export function createSandbox(wasmModule: WebAssembly.Module) {
  const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  const utf16 = new TextDecoder("utf-16le");
  const encoder = new TextEncoder();
  const MAX_LOGS = 100;
  const MAX_LOG_BYTES = 4096;

  type Exports = {
    memory: WebAssembly.Memory;
    __agtest_fuel: WebAssembly.Global;
    __agtest_oom: WebAssembly.Global;
    alloc(len: number): number;
    handle(ptr: number, len: number): number;
    init?: () => number;
    _initialize?: () => void;
  };
  type Call = {
    phase: FailurePhase;
    sent: string[];
    logs: AgentLog[];
    rejected: number;
    maxMessageBytes: number;
    maxSends: number;
  };

  let instance: WebAssembly.Instance | null = null;
  let call: Call = { phase: "instantiate", sent: [], logs: [], rejected: 0, maxMessageBytes: 0, maxSends: 0 };
  // Modules deployed with their mutable globals exported (sandbox/globals.ts) are checkpointed.
  const DURABLE = WebAssembly.Module.exports(wasmModule).some((e) => e.name === "__agtest_durable");
  const durable = new Durable();

  const exportsOf = (): Exports => {
    if (!instance) throw new SandboxFault("trap", "the agent has no instance");
    return instance.exports as unknown as Exports;
  };

  function memoryBytes(ptr: number, len: number): Uint8Array {
    const buffer = exportsOf().memory.buffer;
    const at = ptr >>> 0;
    const length = len >>> 0;
    if (at + length > buffer.byteLength)
      throw new SandboxFault("trap", `pointer out of bounds: ${at}+${length} > ${buffer.byteLength}`);
    return new Uint8Array(buffer, at, length);
  }

  // AssemblyScript passes strings to env.abort as UTF-16 with the byte length at ptr - 4.
  function asString(ptr: number): string {
    if (!ptr) return "";
    try {
      const view = new DataView(exportsOf().memory.buffer);
      const len = view.getUint32(ptr - 4, true);
      return utf16.decode(memoryBytes(ptr, Math.min(len, 2048)));
    } catch {
      return "?";
    }
  }

  function collectLog(level: number, text: string): void {
    if (call.logs.length < MAX_LOGS) call.logs.push({ level, text: text.slice(0, MAX_LOG_BYTES) });
  }

  // Host work is paid from the same fuel as the agent's instructions, before it is done: the module
  // stored its counter to the global before the call and reloads it after.
  function charge(cost: number): void {
    const fuel = exportsOf().__agtest_fuel;
    fuel.value = (fuel.value as bigint) - BigInt(Math.ceil(cost));
    if ((fuel.value as bigint) < 0n) throw new SandboxFault("cpu", "fuel exhausted in a host call");
  }

  const WASI = wasi({
    buffer: () => exportsOf().memory.buffer,
    bytes: memoryBytes,
    log: collectLog,
    charge,
    maxLogBytes: MAX_LOG_BYTES,
  });

  // The durable and WASI imports are paid like the others: the crossing before anything is done,
  // and the bytes they copy, known from the arguments before (or, for state_get, from what it
  // copied, at most one value's limit, after).
  const u32 = (n: number) => n >>> 0;
  type Args = (number | bigint)[];
  type PerByte = { before: (...args: Args) => number; after?: (result: number, ...args: Args) => number };
  const PER_BYTE: Record<string, PerByte> = {
    state_get: {
      before: (_kp, kl) => u32(kl as number) * HOST_FUEL.statePerByte,
      after: (n, _kp, _kl, _bp, bc) => (n > 0 && n <= u32(bc as number) ? n * HOST_FUEL.statePerByte : 0),
    },
    state_put: { before: (_kp, kl, _vp, vl) => (u32(kl as number) + u32(vl as number)) * HOST_FUEL.statePerByte },
    state_delete: { before: (_kp, kl) => u32(kl as number) * HOST_FUEL.statePerByte },
    timer_set: { before: (_delay, _tp, tl) => u32(tl as number) * HOST_FUEL.timerPerByte },
    random_get: { before: (_ptr, len) => u32(len as number) * HOST_FUEL.randomPerByte },
  };
  // biome-ignore lint/suspicious/noExplicitAny: the imports' own signatures vary; metered keeps each one's.
  function metered<F extends Record<string, (...args: any[]) => unknown>>(fns: F): F {
    const out: Record<string, (...args: Args) => unknown> = {};
    for (const [name, fn] of Object.entries(fns)) {
      const bytes = PER_BYTE[name];
      out[name] = (...args: Args) => {
        charge(HOST_FUEL.call + (bytes ? bytes.before(...args) : 0));
        const result = fn(...args);
        if (bytes?.after) charge(bytes.after(result as number, ...args));
        return result;
      };
    }
    return out as F;
  }

  const imports = {
    wasi_snapshot_preview1: metered(WASI.imports),
    agent: {
      send(ptr: number, len: number): number {
        charge(HOST_FUEL.call);
        if (len > call.maxMessageBytes) {
          call.rejected++;
          return -2;
        }
        if (call.sent.length >= call.maxSends) {
          call.rejected++;
          return -3;
        }
        charge((len >>> 0) * HOST_FUEL.sendPerByte);
        let text: string;
        try {
          text = utf8.decode(memoryBytes(ptr, len));
          JSON.parse(text);
        } catch {
          call.rejected++;
          return -1;
        }
        call.sent.push(text);
        return 0;
      },
      log(level: number, ptr: number, len: number): void {
        charge(HOST_FUEL.call);
        if (call.logs.length >= MAX_LOGS) return;
        charge(Math.min(len >>> 0, MAX_LOG_BYTES) * HOST_FUEL.logPerByte);
        let text: string;
        try {
          text = utf8.decode(memoryBytes(ptr, Math.min(len >>> 0, MAX_LOG_BYTES)));
        } catch {
          text = "(invalid utf-8)";
        }
        call.logs.push({ level: Math.max(0, Math.min(3, level)), text });
      },
      ...metered(durable.imports(memoryBytes)),
      now(): bigint {
        charge(HOST_FUEL.call);
        return BigInt(Date.now());
      },
      random(ptr: number, len: number): void {
        // Bounded by the agent's memory (memoryBytes) and paid per byte before any is drawn.
        charge(HOST_FUEL.call + (len >>> 0) * HOST_FUEL.randomPerByte);
        fillRandom(memoryBytes(ptr, len));
      },
    },
    env: {
      abort(msg: number, file: number, line: number, col: number): never {
        throw new SandboxFault("trap", `abort: ${asString(msg)} at ${asString(file)}:${line}:${col}`);
      },
    },
  };

  /** A new instance; memory the isolate cannot allocate is the agent's memory limit, not a trap. */
  function instantiate(): WebAssembly.Instance {
    try {
      return new WebAssembly.Instance(wasmModule, imports);
    } catch (err) {
      if (err instanceof RangeError) throw new SandboxFault("memory", err.message);
      throw err;
    }
  }

  function setFuel(fuel: number): void {
    exportsOf().__agtest_fuel.value = BigInt(fuel);
  }

  function ensureInstance(options: CallOptions): void {
    if (instance) return;
    instance = instantiate();
    const exports = exportsOf();
    // A WASI reactor (wasi-libc) sets up libc and runs C constructors here; once per instance.
    if (typeof exports._initialize === "function") {
      call.phase = "init";
      setFuel(options.fuel);
      exports._initialize();
    }
    if (typeof exports.init === "function") {
      call.phase = "init";
      setFuel(options.fuel);
      const rc = exports.init();
      if (rc !== 0) throw new SandboxFault("trap", `init returned ${rc}`);
    }
  }

  function globals() {
    if (!instance) return null;
    const exports = exportsOf();
    return { fuel: exports.__agtest_fuel, oom: exports.__agtest_oom };
  }

  function attempt(options: CallOptions, work: () => number, boot = false): SandboxOutcome {
    call = {
      phase: "instantiate",
      sent: [],
      logs: [],
      rejected: 0,
      maxMessageBytes: options.maxMessageBytes,
      maxSends: options.maxSends,
    };
    const d: GlueDurable | null = DURABLE ? (options.durable ?? null) : null;
    durable.begin(d);
    // AGTEST_FRESH_ISOLATES: nothing of an earlier delivery survives, as in a new isolate.
    if (options.fresh) {
      instance = null;
      durable.drop();
    }
    try {
      if (d && boot) {
        // A boot (deploy, reload, revival) starts from fresh memory; state outlives versions.
        instance = null;
        durable.drop();
        durable.loadState(d.state);
      } else if (d && (!instance || durable.token !== d.token)) {
        // New or stale isolate: ask the host for the checkpoint (once), or restore the one it sent.
        if (!d.restore)
          return { ok: false, kind: "restore", phase: "instantiate", message: "checkpoint needed", sent: [], logs: [] };
        instance = instantiate();
        durable.restore(instance, d.restore);
      }
      ensureInstance(options);
      call.phase = "handle";
      setFuel(options.fuel);
      const rc = work();
      const fuelUsed = options.fuel - Number(exportsOf().__agtest_fuel.value);
      WASI.flush();
      return {
        ok: true,
        rc,
        sent: call.sent,
        logs: call.logs,
        fuelUsed,
        rejected: call.rejected,
        durable: d && instance ? durable.capture(instance, d.next) : null,
      };
    } catch (err) {
      const kind = classify(err, globals());
      WASI.flush();
      instance = null;
      durable.drop();
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, kind, phase: call.phase, message, sent: call.sent, logs: call.logs, rejected: call.rejected };
    }
  }

  /** A failure outside any call into the agent (a checkpoint the host could not finish sending). */
  function failed(err: unknown): SandboxOutcome {
    const kind = err instanceof SandboxFault ? err.kind : "transient";
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, kind, phase: "handle", message, sent: [], logs: [] };
  }

  return {
    /** Instantiates the module and runs init (deploy, reload, restart). */
    async boot(options: CallOptions, link: Link): Promise<SandboxOutcome> {
      return spill(
        attempt(options, () => 0, true),
        link,
      ).catch(failed);
    },

    /** Delivers one message (UTF-8 JSON text) to the agent. */
    async deliver(text: string, options: CallOptions, link: Link): Promise<SandboxOutcome> {
      try {
        // A checkpoint too large for one RPC message comes in batches (durable.ts).
        if (DURABLE && options.durable) await pullRestore(options.durable, link);
        return await spill(
          attempt(options, () => {
            const exports = exportsOf();
            const bytes = encoder.encode(text);
            const ptr = exports.alloc(bytes.length);
            // 0 is how an allocator says no (the AssemblyScript and C helpers do): never write there.
            if (ptr === 0 && bytes.length > 0) throw new SandboxFault("trap", `alloc(${bytes.length}) returned 0`);
            memoryBytes(ptr, bytes.length).set(bytes);
            return exports.handle(ptr, bytes.length);
          }),
          link,
        );
      } catch (err) {
        return failed(err);
      }
    },
  };
}
