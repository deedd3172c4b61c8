/**
 * The WASI preview1 subset of the glue (`glue.ts` splices this source in): what wasi-libc's
 * `printf` and Rust's `wasm32-wasi` std import, and nothing that reaches outside the isolate.
 * The deploy validator admits exactly these names (`worker/wasm/abi.ts`, `WASI_IMPORTS`); every
 * other WASI import is refused there, so none is missing here at run time.
 *
 * - `fd_write` to fd 1 (info) and 2 (error) becomes log lines, one per `\n`; a partial last line
 *   is flushed when the call into the agent ends (`flushWasi`). Any other fd is `EBADF`.
 * - `fd_fdstat_get` says fds 0-2 are character devices without seek rights, which is what
 *   wasi-libc's `isatty` tests: stdout is then line-buffered, so a `printf("...\n")` reaches the
 *   log during the message that printed it instead of sitting in a buffer forever (a reactor never
 *   exits to flush it).
 * - `random_get`, `clock_time_get` (every clock reads the host clock; Workers coarsen it).
 * - `environ_*` and `args_*` are empty; `proc_exit` traps with the exit code.
 *
 * It uses the glue's `memoryBytes`, `instance`, `call`, `AgentFault`, `collectLog`, `charge` and
 * `FUEL` (every import is also charged its crossing by the glue's `metered`).
 * Errno values: https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#errno
 */
export const WASI_GLUE = String.raw`
const WASI_EBADF = 8, WASI_EINVAL = 28, WASI_ESPIPE = 70;
const WASI_FILETYPE_CHARACTER_DEVICE = 2;
const WASI_RIGHT_FD_READ = 1n << 1n, WASI_RIGHT_FD_WRITE = 1n << 6n;
const WASI_STREAM_LEVEL = { 1: 1, 2: 3 };

let wasiPending = {};

function wasiView() { return new DataView(instance.exports.memory.buffer); }

function wasiPut32(ptr, value) { memoryBytes(ptr, 4); wasiView().setUint32(ptr >>> 0, value, true); }

function wasiEmit(fd, text) {
  const lines = text.split("\n");
  const last = lines.pop();
  for (const line of lines) collectLog(WASI_STREAM_LEVEL[fd], line);
  return last;
}

/** Logs what is left of a line without its newline (end of a call into the agent). */
function flushWasi() {
  for (const fd of Object.keys(wasiPending)) {
    const text = wasiPending[fd].text + wasiPending[fd].decoder.decode();
    if (text !== "") collectLog(WASI_STREAM_LEVEL[fd], text);
  }
  wasiPending = {};
}

const wasiImports = {
  fd_write(fd, iovs, count, nwrittenPtr) {
    if (fd !== 1 && fd !== 2) return WASI_EBADF;
    const pending = (wasiPending[fd] ??= { decoder: new TextDecoder("utf-8"), text: "" });
    let total = 0;
    for (let i = 0; i < count >>> 0; i++) {
      // struct ciovec { u32 buf; u32 buf_len }
      const iov = (iovs >>> 0) + i * 8;
      memoryBytes(iov, 8);
      const ptr = wasiView().getUint32(iov, true);
      const len = wasiView().getUint32(iov + 4, true);
      charge(len * FUEL.writePerByte);
      pending.text = wasiEmit(fd, pending.text + pending.decoder.decode(memoryBytes(ptr, len), { stream: true }));
      // An unfinished line keeps what the log would keep of it, however much more is written.
      if (pending.text.length > MAX_LOG_BYTES) pending.text = pending.text.slice(0, MAX_LOG_BYTES);
      total += len;
    }
    // Everything counts as written, even past the log's caps: libc would retry the rest forever.
    wasiPut32(nwrittenPtr, total);
    return 0;
  },
  fd_close(fd) { return fd >= 0 && fd <= 2 ? 0 : WASI_EBADF; },
  fd_seek(fd, _offset, _whence, _newOffsetPtr) { return fd >= 0 && fd <= 2 ? WASI_ESPIPE : WASI_EBADF; },
  fd_fdstat_get(fd, ptr) {
    if (fd < 0 || fd > 2) return WASI_EBADF;
    // struct fdstat { u8 filetype; u16 flags; u64 rights_base; u64 rights_inheriting } = 24 bytes.
    const bytes = memoryBytes(ptr, 24);
    bytes.fill(0);
    const view = wasiView();
    view.setUint8(ptr >>> 0, WASI_FILETYPE_CHARACTER_DEVICE);
    view.setBigUint64((ptr >>> 0) + 8, fd === 0 ? WASI_RIGHT_FD_READ : WASI_RIGHT_FD_WRITE, true);
    return 0;
  },
  random_get(ptr, len) {
    const bytes = memoryBytes(ptr, len);
    for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
    return 0;
  },
  clock_time_get(id, _precision, timePtr) {
    if (id < 0 || id > 3) return WASI_EINVAL;
    memoryBytes(timePtr, 8);
    wasiView().setBigUint64(timePtr >>> 0, BigInt(Date.now()) * 1000000n, true);
    return 0;
  },
  proc_exit(code) { throw new AgentFault("proc_exit(" + code + "): the agent called exit"); },
  environ_sizes_get(countPtr, sizePtr) { wasiPut32(countPtr, 0); wasiPut32(sizePtr, 0); return 0; },
  environ_get(_environ, _buf) { return 0; },
  args_sizes_get(countPtr, sizePtr) { wasiPut32(countPtr, 0); wasiPut32(sizePtr, 0); return 0; },
  args_get(_argv, _buf) { return 0; },
};
`;
