/**
 * The isolate side of durable agents (ARCHITECTURE.md, "Durable agents"): a JavaScript module
 * (`durable.js`) loaded next to the glue in every agent isolate.
 *
 * - Memory checkpoints: the isolate keeps two 32-bit hashes of every 64 KiB page of linear
 *   memory as of the last checkpoint it produced or restored (8 bytes per page: a shadow copy
 *   would double the isolate's memory, and a 64 MiB agent would not fit in its isolate). After a
 *   handled message it hashes every page again and returns the pages whose hashes changed, with
 *   every exported mutable global (see `globals.ts`). The first hash is a multiply-xor chain, a
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
export const DURABLE_SOURCE = String.raw`
export const PAGE = 65536;
const MAX_KEY_BYTES = 512;
const MAX_TAG_BYTES = 4096;
const MAX_DELAY_MS = 366 * 24 * 3600 * 1000;
const keyDecoder = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

function sizeOf(key, value) { return encoder.encode(key).length + value.length; }

/** The exported mutable globals, in global-index order: [{ global, type }]. */
function globalsOf(exports) {
  const out = [];
  for (const name of Object.keys(exports)) {
    const m = /^__agtest_g(\d+)_(i32|i64|f32|f64)$/.exec(name);
    if (m) out.push({ index: Number(m[1]), type: m[2], global: exports[name] });
  }
  return out.sort((a, b) => a.index - b.index);
}

function encodeGlobals(list) {
  const view = new DataView(new ArrayBuffer(list.length * 8));
  list.forEach((g, i) => {
    const at = i * 8;
    if (g.type === "i32") view.setInt32(at, g.global.value, true);
    else if (g.type === "i64") view.setBigInt64(at, g.global.value, true);
    else if (g.type === "f32") view.setFloat32(at, g.global.value, true);
    else view.setFloat64(at, g.global.value, true);
  });
  return new Uint8Array(view.buffer);
}

function decodeGlobals(list, bytes) {
  if (bytes.length !== list.length * 8) throw new Error("checkpoint globals do not match the module (" + bytes.length / 8 + " vs " + list.length + ")");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  list.forEach((g, i) => {
    const at = i * 8;
    if (g.type === "i32") g.global.value = view.getInt32(at, true);
    else if (g.type === "i64") g.global.value = view.getBigInt64(at, true);
    else if (g.type === "f32") g.global.value = view.getFloat32(at, true);
    else g.global.value = view.getFloat64(at, true);
  });
}

/** Writes the two hashes of page \`page\` of \`words\` at \`out[2 * page]\`. */
function hashPage(words, page, out) {
  let a = -2128831035, b = 16777619;
  const start = page * (PAGE / 4), end = start + PAGE / 4;
  for (let i = start; i < end; i++) {
    const w = words[i];
    a = Math.imul(a ^ w, -1640531535);
    b = Math.imul(b + w, -2048144777) ^ (b >>> 13);
  }
  out[2 * page] = a;
  out[2 * page + 1] = b;
}

function hashAll(mem) {
  const words = new Int32Array(mem.buffer, mem.byteOffset, mem.byteLength >> 2);
  const size = mem.byteLength / PAGE;
  const out = new Int32Array(size * 2);
  for (let i = 0; i < size; i++) hashPage(words, i, out);
  return out;
}

const ZERO = hashAll(new Uint8Array(PAGE));

/** Pages per RPC batch: an RPC message is at most 32 MiB. */
const BATCH_PAGES = 256;

/** A restore whose pages did not fit in the call: fetch the rest from the host, in batches. */
export async function pullRestore(d, link) {
  const r = d.restore;
  if (!r || r.pages.length >= r.count) return;
  while (r.pages.length < r.count) {
    const more = await link.pull(r.pages.length);
    if (more.length === 0) throw new Error("the host sent " + r.pages.length + " of " + r.count + " checkpoint pages");
    for (const page of more) r.pages.push(page);
  }
}

/** Sends the pages of a large capture to the host in batches; the last batch goes with the result. */
export async function spill(result, link) {
  const memory = result.ok && result.durable ? result.durable.memory : null;
  if (!memory) return result;
  while (memory.pages.length > BATCH_PAGES) await link.push(memory.pages.splice(0, BATCH_PAGES));
  return result;
}

export class Durable {
  constructor() {
    /** Token of the checkpoint this isolate's instance reflects; null = none (must restore). */
    this.token = null;
    /** Two hashes per page of memory as of that checkpoint. */
    this.hashes = null;
    /** Committed state: key -> Uint8Array. */
    this.state = new Map();
    this.stateBytes = 0;
    this.call = null;
  }

  /** Forgets everything (a trap, a boot): the next delivery restores. */
  drop() { this.token = null; this.hashes = null; }

  loadState(entries) {
    this.state = new Map();
    this.stateBytes = 0;
    for (const [key, value] of entries) {
      this.state.set(key, value);
      this.stateBytes += sizeOf(key, value);
    }
    // Loaded inside a call (a restore or a boot): the call's quota accounting starts from it.
    if (this.call) this.call.bytes = this.stateBytes;
  }

  /** Starts one call's buffers: state writes, timers, limits. */
  begin(d) {
    this.call = {
      writes: new Map(),
      bytes: this.stateBytes,
      timers: [],
      quota: d ? d.stateQuota : 0,
      maxValue: d ? d.maxValueBytes : 0,
      timersLeft: d ? d.maxTimers - d.pendingTimers : 0,
    };
  }

  /** The agent.* imports of the durable API; bytes(ptr, len) reads the agent's memory. */
  imports(bytes) {
    const self = this;
    const key = (ptr, len) => {
      if (len <= 0 || len > MAX_KEY_BYTES) return null;
      try { return keyDecoder.decode(bytes(ptr, len)); } catch { return null; }
    };
    const read = (k) => (self.call.writes.has(k) ? self.call.writes.get(k) : self.state.get(k) ?? null);
    return {
      state_get(kp, kl, bp, bc) {
        const k = key(kp, kl);
        const value = k === null ? null : read(k);
        if (value === null) return -1;
        if (value.length <= bc >>> 0) bytes(bp, value.length).set(value);
        return value.length;
      },
      state_put(kp, kl, vp, vl) {
        const k = key(kp, kl);
        if (k === null) return -2;
        vl >>>= 0;
        if (vl > self.call.maxValue) return -3;
        const value = bytes(vp, vl).slice();
        const old = read(k);
        const total = self.call.bytes - (old === null ? 0 : sizeOf(k, old)) + sizeOf(k, value);
        if (total > self.call.quota) return -1;
        self.call.writes.set(k, value);
        self.call.bytes = total;
        return 0;
      },
      state_delete(kp, kl) {
        const k = key(kp, kl);
        const old = k === null ? null : read(k);
        if (old === null) return 0;
        self.call.writes.set(k, null);
        self.call.bytes -= sizeOf(k, old);
        return 1;
      },
      timer_set(delay, tp, tl) {
        if (self.call.timersLeft <= 0) return -1;
        tl >>>= 0;
        if (tl > MAX_TAG_BYTES) return -2;
        let tag;
        try { tag = keyDecoder.decode(bytes(tp, tl)); } catch { return -2; }
        const ms = delay < 0n ? 0 : delay > BigInt(MAX_DELAY_MS) ? -1 : Number(delay);
        if (ms < 0) return -3;
        self.call.timers.push({ delay_ms: ms, tag });
        self.call.timersLeft--;
        return 0;
      },
    };
  }

  /** Puts a checkpoint into a new instance: memory (zeroed, then its pages), globals, state. */
  restore(instance, checkpoint) {
    const memory = instance.exports.memory;
    const have = memory.buffer.byteLength / PAGE;
    if (checkpoint.size > have) memory.grow(checkpoint.size - have);
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
   * globals, the state writes and the timers. Commits them in this isolate under the token \`next\`.
   */
  capture(instance, next) {
    const mem = new Uint8Array(instance.exports.memory.buffer);
    const words = new Int32Array(mem.buffer);
    const size = mem.length / PAGE;
    const old = this.hashes;
    const oldSize = old ? old.length / 2 : 0;
    const hashes = new Int32Array(size * 2);
    const pages = [];
    for (let i = 0; i < size; i++) {
      hashPage(words, i, hashes);
      const a = i < oldSize ? old[2 * i] : ZERO[0], b = i < oldSize ? old[2 * i + 1] : ZERO[1];
      if (hashes[2 * i] !== a || hashes[2 * i + 1] !== b) pages.push({ index: i, data: mem.slice(i * PAGE, (i + 1) * PAGE) });
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
`;
