/**
 * The isolate side of durable agents (ARCHITECTURE.md, "Durable agents"): a JavaScript module
 * (`durable.js`) loaded next to the glue in every agent isolate.
 *
 * - Memory checkpoints: the isolate keeps a shadow copy of linear memory as of the last
 *   checkpoint it produced or restored. After a handled message it compares memory with the
 *   shadow 64 KiB page by page (a page that changed usually differs early, so the scan stops
 *   there) and returns only the changed pages, with every exported mutable global (see
 *   `globals.ts`). The host stores them in the transaction that settles the message.
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

function samePage(a, b, page) {
  const start = page * (PAGE / 4), end = start + PAGE / 4;
  for (let i = start; i < end; i++) if (a[i] !== b[i]) return false;
  return true;
}

function zeroPage(a, page) {
  const start = page * (PAGE / 4), end = start + PAGE / 4;
  for (let i = start; i < end; i++) if (a[i] !== 0) return false;
  return true;
}

export class Durable {
  constructor() {
    /** Token of the checkpoint this isolate's instance reflects; null = none (must restore). */
    this.token = null;
    /** Memory as of that checkpoint. */
    this.shadow = null;
    /** Committed state: key -> Uint8Array. */
    this.state = new Map();
    this.stateBytes = 0;
    this.call = null;
  }

  /** Forgets everything (a trap, a boot): the next delivery restores. */
  drop() { this.token = null; this.shadow = null; }

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
    this.shadow = mem.slice();
    this.token = checkpoint.token;
  }

  /**
   * What the call changed: memory pages that differ from the shadow (or from zero when there is
   * none: a boot checkpoints everything that is not zero), the globals, the state writes and the
   * timers. Commits them in this isolate under the token \`next\`.
   */
  capture(instance, next) {
    const mem = new Uint8Array(instance.exports.memory.buffer);
    const words = new Int32Array(mem.buffer);
    const size = mem.length / PAGE;
    const old = this.shadow;
    const oldWords = old ? new Int32Array(old.buffer) : null;
    const oldSize = old ? old.length / PAGE : 0;
    const pages = [];
    for (let i = 0; i < size; i++) {
      const same = i < oldSize ? samePage(words, oldWords, i) : zeroPage(words, i);
      if (!same) pages.push({ index: i, data: mem.slice(i * PAGE, (i + 1) * PAGE) });
    }
    let shadow = old;
    if (!shadow || shadow.length < mem.length) {
      shadow = new Uint8Array(mem.length);
      if (old) shadow.set(old);
    }
    for (const page of pages) shadow.set(page.data, page.index * PAGE);
    this.shadow = shadow;
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
