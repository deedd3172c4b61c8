import { BATCH_PAGES, type Checkpoint, type DurableChanges, type GlueDurable, type Link } from "./contract.js";
import { SandboxFault } from "./faults.js";

/**
 * The isolate side of durable agents (ARCHITECTURE.md, "Durable agents"), bundled into the glue.
 *
 * - Memory checkpoints: the isolate keeps two 32-bit hashes of every 64 KiB page of linear
 *   memory as of the last checkpoint it produced or restored (8 bytes per page: a shadow copy
 *   would double the isolate's memory, and a 64 MiB agent would not fit in its isolate). After a
 *   handled message it hashes every page again and returns the pages whose hashes changed, with
 *   every exported mutable global (see `../globals.ts`). The first hash is a multiply-xor chain, a
 *   bijection per word, so any change confined to one word always shows; the two together miss
 *   a wider change with a chance of about 2^-64. The host stores the pages in the transaction
 *   that settles the message.
 * - Tokens: every checkpoint has a token (`epoch:seq`); the host sends the token it holds and
 *   the token of the next one with each delivery. An isolate whose token differs (new, evicted,
 *   or stale after a commit that did not happen) answers `restore` without running anything, and
 *   the host sends the checkpoint once: the isolate asks at most once per delivery.
 * - State: the agent's key-value state travels with the checkpoint, so `state_get` is a local
 *   read; writes are buffered per message and returned with the outcome (dropped on a trap).
 * - Timers: `timer_set` is buffered the same way; the host stores and fires them.
 */

const PAGE = 65536;
const MAX_KEY_BYTES = 512;
const MAX_TAG_BYTES = 4096;
const MAX_DELAY_MS = 366 * 24 * 3600 * 1000;
const keyDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
const encoder = new TextEncoder();

function sizeOf(key: string, value: Uint8Array): number {
  return encoder.encode(key).length + value.length;
}

type GlobalType = "i32" | "i64" | "f32" | "f64";
type ExportedGlobal = { index: number; type: GlobalType; global: WebAssembly.Global };

/** The exported mutable globals, in global-index order. */
function globalsOf(exports: WebAssembly.Exports): ExportedGlobal[] {
  const out: ExportedGlobal[] = [];
  for (const name of Object.keys(exports)) {
    const m = /^__agtest_g(\d+)_(i32|i64|f32|f64)$/.exec(name);
    if (m) out.push({ index: Number(m[1]), type: m[2] as GlobalType, global: exports[name] as WebAssembly.Global });
  }
  return out.sort((a, b) => a.index - b.index);
}

function encodeGlobals(list: ExportedGlobal[]): Uint8Array {
  const view = new DataView(new ArrayBuffer(list.length * 8));
  list.forEach((g, i) => {
    const at = i * 8;
    if (g.type === "i32") view.setInt32(at, g.global.value as number, true);
    else if (g.type === "i64") view.setBigInt64(at, g.global.value as bigint, true);
    else if (g.type === "f32") view.setFloat32(at, g.global.value as number, true);
    else view.setFloat64(at, g.global.value as number, true);
  });
  return new Uint8Array(view.buffer);
}

function decodeGlobals(list: ExportedGlobal[], bytes: Uint8Array): void {
  if (bytes.length !== list.length * 8)
    throw new SandboxFault(
      "trap",
      `checkpoint globals do not match the module (${bytes.length / 8} vs ${list.length})`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  list.forEach((g, i) => {
    const at = i * 8;
    if (g.type === "i32") g.global.value = view.getInt32(at, true);
    else if (g.type === "i64") g.global.value = view.getBigInt64(at, true);
    else if (g.type === "f32") g.global.value = view.getFloat32(at, true);
    else g.global.value = view.getFloat64(at, true);
  });
}

/** Writes the two hashes of page `page` of `words` at `out[2 * page]`. */
function hashPage(words: Int32Array, page: number, out: Int32Array): void {
  let a = -2128831035;
  let b = 16777619;
  const start = page * (PAGE / 4);
  const end = start + PAGE / 4;
  for (let i = start; i < end; i++) {
    const w = words[i]!;
    a = Math.imul(a ^ w, -1640531535);
    b = Math.imul(b + w, -2048144777) ^ (b >>> 13);
  }
  out[2 * page] = a;
  out[2 * page + 1] = b;
}

function hashAll(mem: Uint8Array): Int32Array {
  const words = new Int32Array(mem.buffer, mem.byteOffset, mem.byteLength >> 2);
  const size = mem.byteLength / PAGE;
  const out = new Int32Array(size * 2);
  for (let i = 0; i < size; i++) hashPage(words, i, out);
  return out;
}

const ZERO = hashAll(new Uint8Array(PAGE));

/** A restore whose pages did not fit in the call: fetch the rest from the host, in batches. */
export async function pullRestore(d: GlueDurable, link: Link): Promise<void> {
  const r = d.restore;
  if (!r || r.pages.length >= r.count) return;
  if (!link) throw new SandboxFault("transient", `the host sent ${r.pages.length} of ${r.count} checkpoint pages`);
  while (r.pages.length < r.count) {
    const more = await link.pull(r.pages.length);
    if (more.length === 0)
      throw new SandboxFault("transient", `the host sent ${r.pages.length} of ${r.count} checkpoint pages`);
    for (const page of more) r.pages.push(page);
  }
}

/** Sends the pages of a large capture to the host in batches; the last batch goes with the result. */
export async function spill<T extends { ok: boolean; durable?: DurableChanges | null }>(
  result: T,
  link: Link,
): Promise<T> {
  const memory = result.ok && result.durable ? result.durable.memory : null;
  if (!memory || !link) return result;
  while (memory.pages.length > BATCH_PAGES) await link.push(memory.pages.splice(0, BATCH_PAGES));
  return result;
}

type CallBuffers = {
  writes: Map<string, Uint8Array | null>;
  bytes: number;
  timers: { delay_ms: number; tag: string }[];
  quota: number;
  maxValue: number;
  timersLeft: number;
};

/** A durable agent's checkpoint, state and timers in one isolate. */
export class Durable {
  /** Token of the checkpoint this isolate's instance reflects; null = none (must restore). */
  token: string | null = null;
  /** Two hashes per page of memory as of that checkpoint. */
  private hashes: Int32Array | null = null;
  /** Committed state: key -> value. */
  private state = new Map<string, Uint8Array>();
  private stateBytes = 0;
  private call: CallBuffers = Durable.buffers(null, 0);

  private static buffers(d: GlueDurable | null, bytes: number): CallBuffers {
    return {
      writes: new Map(),
      bytes,
      timers: [],
      quota: d ? d.stateQuota : 0,
      maxValue: d ? d.maxValueBytes : 0,
      timersLeft: d ? d.maxTimers - d.pendingTimers : 0,
    };
  }

  /** Forgets everything (a trap, a boot): the next delivery restores. */
  drop(): void {
    this.token = null;
    this.hashes = null;
  }

  loadState(entries: [string, Uint8Array][]): void {
    this.state = new Map();
    this.stateBytes = 0;
    for (const [key, value] of entries) {
      this.state.set(key, value);
      this.stateBytes += sizeOf(key, value);
    }
    // Loaded inside a call (a restore or a boot): the call's quota accounting starts from it.
    this.call.bytes = this.stateBytes;
  }

  /** Starts one call's buffers: state writes, timers, limits. */
  begin(d: GlueDurable | null): void {
    this.call = Durable.buffers(d, this.stateBytes);
  }

  /** The agent.* imports of the durable API; bytes(ptr, len) reads the agent's memory. */
  imports(bytes: (ptr: number, len: number) => Uint8Array) {
    const key = (ptr: number, len: number): string | null => {
      if (len <= 0 || len > MAX_KEY_BYTES) return null;
      try {
        return keyDecoder.decode(bytes(ptr, len));
      } catch {
        return null;
      }
    };
    const read = (k: string): Uint8Array | null =>
      this.call.writes.has(k) ? (this.call.writes.get(k) ?? null) : (this.state.get(k) ?? null);
    return {
      state_get: (kp: number, kl: number, bp: number, bc: number): number => {
        const k = key(kp, kl);
        const value = k === null ? null : read(k);
        if (value === null) return -1;
        if (value.length <= bc >>> 0) bytes(bp, value.length).set(value);
        return value.length;
      },
      state_put: (kp: number, kl: number, vp: number, vl: number): number => {
        const k = key(kp, kl);
        if (k === null) return -2;
        const length = vl >>> 0;
        if (length > this.call.maxValue) return -3;
        const value = bytes(vp, length).slice();
        const old = read(k);
        const total = this.call.bytes - (old === null ? 0 : sizeOf(k, old)) + sizeOf(k, value);
        if (total > this.call.quota) return -1;
        this.call.writes.set(k, value);
        this.call.bytes = total;
        return 0;
      },
      state_delete: (kp: number, kl: number): number => {
        const k = key(kp, kl);
        const old = k === null ? null : read(k);
        if (k === null || old === null) return 0;
        this.call.writes.set(k, null);
        this.call.bytes -= sizeOf(k, old);
        return 1;
      },
      timer_set: (delay: bigint, tp: number, tl: number): number => {
        if (this.call.timersLeft <= 0) return -1;
        const length = tl >>> 0;
        if (length > MAX_TAG_BYTES) return -2;
        let tag: string;
        try {
          tag = keyDecoder.decode(bytes(tp, length));
        } catch {
          return -2;
        }
        const ms = delay < 0n ? 0 : delay > BigInt(MAX_DELAY_MS) ? -1 : Number(delay);
        if (ms < 0) return -3;
        this.call.timers.push({ delay_ms: ms, tag });
        this.call.timersLeft--;
        return 0;
      },
    };
  }

  /** Puts a checkpoint into a new instance: memory (zeroed, then its pages), globals, state. */
  restore(instance: WebAssembly.Instance, checkpoint: Checkpoint): void {
    const memory = instance.exports["memory"] as WebAssembly.Memory;
    const have = memory.buffer.byteLength / PAGE;
    if (checkpoint.size > have) {
      try {
        memory.grow(checkpoint.size - have);
      } catch (err) {
        // Past the module's maximum or out of memory for the isolate (a RangeError either way).
        throw new SandboxFault("memory", `restoring ${checkpoint.size} pages: ${(err as Error).message}`);
      }
    }
    const mem = new Uint8Array(memory.buffer);
    mem.fill(0);
    for (const page of checkpoint.pages) mem.set(page.data, page.index * PAGE);
    decodeGlobals(globalsOf(instance.exports), checkpoint.globals);
    this.loadState(checkpoint.state);
    this.hashes = hashAll(mem);
    this.token = checkpoint.token;
  }

  /**
   * What the call changed: memory pages whose hashes differ from the last checkpoint's (or from
   * a zero page's when there is none: a boot checkpoints everything that is not zero), the
   * globals, the state writes and the timers. Commits them in this isolate under the token `next`.
   */
  capture(instance: WebAssembly.Instance, next: string): DurableChanges {
    const mem = new Uint8Array((instance.exports["memory"] as WebAssembly.Memory).buffer);
    const words = new Int32Array(mem.buffer);
    const size = mem.length / PAGE;
    const old = this.hashes;
    const oldSize = old ? old.length / 2 : 0;
    const hashes = new Int32Array(size * 2);
    const pages: DurableChanges["memory"]["pages"] = [];
    for (let i = 0; i < size; i++) {
      hashPage(words, i, hashes);
      const a = old && i < oldSize ? old[2 * i] : ZERO[0];
      const b = old && i < oldSize ? old[2 * i + 1] : ZERO[1];
      if (hashes[2 * i] !== a || hashes[2 * i + 1] !== b)
        pages.push({ index: i, data: mem.slice(i * PAGE, (i + 1) * PAGE) });
    }
    this.hashes = hashes;
    for (const [k, v] of this.call.writes) {
      if (v === null) this.state.delete(k);
      else this.state.set(k, v);
    }
    this.stateBytes = this.call.bytes;
    this.token = next;
    return {
      token: next,
      memory: { pages, size, globals: encodeGlobals(globalsOf(instance.exports)) },
      writes: [...this.call.writes],
      timers: this.call.timers,
    };
  }
}
