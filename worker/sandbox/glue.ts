import { WASI_GLUE } from "./wasi.js";
import { HOST_FUEL } from "../wasm/costs.js";

/**
 * The glue module that runs inside each agent's Dynamic Worker, next to `agent.wasm` (the
 * instrumented module). It is plain JavaScript because the isolate loads it as source.
 *
 * It instantiates the module once per isolate, implements the `agent.*` imports of ABI
 * `agtest/1`, sets the fuel budget before every call, and returns what the agent emitted with
 * `send`. A trap drops the instance (its memory may be half-written) so the next message starts
 * from a fresh one; the fuel and OOM globals tell a limit violation from any other trap.
 * It also implements the WASI preview1 subset the validator admits (`wasi.ts`) and calls a WASI
 * reactor's `_initialize` once per new instance, before `init` (not on one restored from a
 * checkpoint: its memory already holds what they did).
 * from a fresh one; the fuel and OOM globals tell a limit violation from any other trap. Host
 * calls are charged to the fuel global (`HOST_FUEL`) before they do their work.
 * Checkpoints, state and timers (durable agents) are in durable.js, see durable.ts.
 */
export const GLUE_SOURCE = String.raw`
import wasmModule from "agent.wasm";
import { WorkerEntrypoint } from "cloudflare:workers";
import { Durable, pullRestore, spill } from "./durable.js";

const FUEL = ${JSON.stringify(HOST_FUEL)};
const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf16 = new TextDecoder("utf-16le");
const encoder = new TextEncoder();
const MAX_LOGS = 100;
const MAX_LOG_BYTES = 4096;

class AgentAbort extends Error {}
class AgentFault extends Error {}

let instance = null;
let call = null;
// Modules deployed with their mutable globals exported (sandbox/globals.ts) are checkpointed.
const DURABLE = WebAssembly.Module.exports(wasmModule).some((e) => e.name === "__agtest_durable");
const durable = new Durable();

function memoryBytes(ptr, len) {
  const buffer = instance.exports.memory.buffer;
  ptr >>>= 0; len >>>= 0;
  if (ptr + len > buffer.byteLength) throw new AgentFault("pointer out of bounds: " + ptr + "+" + len + " > " + buffer.byteLength);
  return new Uint8Array(buffer, ptr, len);
}

// AssemblyScript passes strings to env.abort as UTF-16 with the byte length at ptr - 4.
function asString(ptr) {
  if (!ptr) return "";
  try {
    const view = new DataView(instance.exports.memory.buffer);
    const len = view.getUint32(ptr - 4, true);
    return utf16.decode(memoryBytes(ptr, Math.min(len, 2048)));
  } catch { return "?"; }
}

function collectLog(level, text) {
  if (call.logs.length < MAX_LOGS) call.logs.push({ level, text: text.slice(0, MAX_LOG_BYTES) });
}

${WASI_GLUE}

// Host work is paid from the same fuel as the agent's instructions, before it is done: the module
// stored its counter to the global before the call and reloads it after.
function charge(cost) {
  const fuel = instance.exports.__agtest_fuel;
  fuel.value -= BigInt(Math.ceil(cost));
  if (fuel.value < 0n) throw new AgentFault("fuel exhausted in a host call");
}

// The durable and WASI imports are paid like the others: the crossing before anything is done,
// and the bytes they copy, known from the arguments before (or, for state_get, from what it
// copied, at most one value's limit, after).
const u32 = (n) => n >>> 0;
const PER_BYTE = {
  state_get: { before: (_kp, kl) => u32(kl) * FUEL.statePerByte, after: (n, _kp, _kl, _bp, bc) => (n > 0 && n <= u32(bc) ? n * FUEL.statePerByte : 0) },
  state_put: { before: (_kp, kl, _vp, vl) => (u32(kl) + u32(vl)) * FUEL.statePerByte },
  state_delete: { before: (_kp, kl) => u32(kl) * FUEL.statePerByte },
  timer_set: { before: (_delay, _tp, tl) => u32(tl) * FUEL.timerPerByte },
  random_get: { before: (_ptr, len) => u32(len) * FUEL.randomPerByte },
};
function metered(fns) {
  const out = {};
  for (const name of Object.keys(fns)) {
    const fn = fns[name];
    const bytes = PER_BYTE[name];
    out[name] = (...args) => {
      charge(FUEL.call + (bytes ? bytes.before(...args) : 0));
      const result = fn(...args);
      if (bytes && bytes.after) charge(bytes.after(result, ...args));
      return result;
    };
  }
  return out;
}

const imports = {
  wasi_snapshot_preview1: metered(wasiImports),
  agent: {
    send(ptr, len) {
      charge(FUEL.call);
      if (len > call.maxMessageBytes) { call.rejected++; return -2; }
      if (call.sent.length >= call.maxSends) { call.rejected++; return -3; }
      charge((len >>> 0) * FUEL.sendPerByte);
      let text;
      try { text = utf8.decode(memoryBytes(ptr, len)); JSON.parse(text); } catch { call.rejected++; return -1; }
      call.sent.push(text);
      return 0;
    },
    log(level, ptr, len) {
      charge(FUEL.call);
      if (call.logs.length >= MAX_LOGS) return;
      charge(Math.min(len >>> 0, MAX_LOG_BYTES) * FUEL.logPerByte);
      let text;
      try { text = utf8.decode(memoryBytes(ptr, Math.min(len >>> 0, MAX_LOG_BYTES))); } catch { text = "(invalid utf-8)"; }
      call.logs.push({ level: Math.max(0, Math.min(3, level)), text });
    },
    ...metered(durable.imports(memoryBytes)),
    now() { charge(FUEL.call); return BigInt(Date.now()); },
    random(ptr, len) {
      // Bounded by the agent's memory (memoryBytes) and paid per byte before any is drawn.
      charge(FUEL.call + (len >>> 0) * FUEL.randomPerByte);
      const bytes = memoryBytes(ptr, len);
      for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
    },
  },
  env: {
    abort(msg, file, line, col) {
      throw new AgentAbort("abort: " + asString(msg) + " at " + asString(file) + ":" + line + ":" + col);
    },
  },
};

function setFuel(fuel) { instance.exports.__agtest_fuel.value = BigInt(fuel); }

function classify(err) {
  let fuelLeft = null, oom = 0;
  if (instance) {
    fuelLeft = instance.exports.__agtest_fuel.value;
    oom = instance.exports.__agtest_oom.value;
  }
  if (fuelLeft !== null && fuelLeft < 0n) return "cpu";
  if (oom === 1) return "memory";
  if (err instanceof RangeError && /memory/i.test(err.message)) return "memory";
  return "trap";
}

function ensureInstance(options) {
  if (instance) return;
  instance = new WebAssembly.Instance(wasmModule, imports);
  // A WASI reactor (wasi-libc) sets up libc and runs C constructors here; once per instance.
  if (typeof instance.exports._initialize === "function") {
    call.phase = "init";
    setFuel(options.fuel);
    instance.exports._initialize();
  }
  if (typeof instance.exports.init === "function") {
    call.phase = "init";
    setFuel(options.fuel);
    const rc = instance.exports.init();
    if (rc !== 0) throw new AgentFault("init returned " + rc);
  }
}

function attempt(options, work, boot = false) {
  call = { phase: "instantiate", sent: [], logs: [], rejected: 0, maxMessageBytes: options.maxMessageBytes, maxSends: options.maxSends };
  const d = DURABLE ? options.durable ?? null : null;
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
      if (!d.restore) return { ok: false, kind: "restore", phase: "instantiate", message: "checkpoint needed", sent: [], logs: [] };
      instance = new WebAssembly.Instance(wasmModule, imports);
      durable.restore(instance, d.restore);
    }
    ensureInstance(options);
    call.phase = "handle";
    setFuel(options.fuel);
    const rc = work();
    const fuelUsed = options.fuel - Number(instance.exports.__agtest_fuel.value);
    flushWasi();
    return { ok: true, rc, sent: call.sent, logs: call.logs, fuelUsed, rejected: call.rejected, durable: d ? durable.capture(instance, d.next) : null };
  } catch (err) {
    const kind = classify(err);
    flushWasi();
    instance = null;
    durable.drop();
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, kind, phase: call.phase, message, sent: call.sent, logs: call.logs, rejected: call.rejected };
  }
}

export default class AgentSandbox extends WorkerEntrypoint {
  /** Instantiates the module and runs init (deploy, reload, restart). */
  async boot(options, link) {
    return spill(attempt(options, () => 0, true), link);
  }

  /** Delivers one message (UTF-8 JSON text) to the agent. */
  async deliver(text, options, link) {
    // A checkpoint too large for one RPC message comes in batches (durable.js).
    if (DURABLE && options.durable) await pullRestore(options.durable, link);
    return spill(attempt(options, () => {
      const bytes = encoder.encode(text);
      const ptr = instance.exports.alloc(bytes.length);
      // 0 is how an allocator says no (the AssemblyScript and C helpers do): never write there.
      if (ptr === 0 && bytes.length > 0) throw new AgentFault("alloc(" + bytes.length + ") returned 0");
      memoryBytes(ptr, bytes.length).set(bytes);
      return instance.exports.handle(ptr, bytes.length);
    }), link);
  }
}
`;
