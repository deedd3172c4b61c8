import { HOST_FUEL } from "../../wasm/costs.js";
import { SandboxFault } from "./faults.js";

/**
 * The WASI preview1 subset of the glue: what wasi-libc's `printf` and Rust's `wasm32-wasi` std
 * import, and nothing that reaches outside the isolate. The deploy validator admits exactly these
 * names (`worker/wasm/abi.ts`, `WASI_IMPORTS`); every other WASI import is refused there, so none
 * is missing here at run time.
 *
 * - `fd_write` to fd 1 (info) and 2 (error) becomes log lines, one per `\n`; a partial last line
 *   is flushed when the call into the agent ends (`flush`). Any other fd is `EBADF`.
 * - `fd_fdstat_get` says fds 0-2 are character devices without seek rights, which is what
 *   wasi-libc's `isatty` tests: stdout is then line-buffered, so a `printf("...\n")` reaches the
 *   log during the message that printed it instead of sitting in a buffer forever (a reactor never
 *   exits to flush it).
 * - `random_get`, `clock_time_get` (every clock reads the host clock; Workers coarsen it).
 * - `environ_*` and `args_*` are empty; `proc_exit` traps with the exit code.
 *
 * Every import is also charged its crossing by the glue's `metered`.
 * Errno values: https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#errno
 */
const WASI_EBADF = 8;
const WASI_EINVAL = 28;
const WASI_ESPIPE = 70;
const WASI_FILETYPE_CHARACTER_DEVICE = 2;
const WASI_RIGHT_FD_READ = 1n << 1n;
const WASI_RIGHT_FD_WRITE = 1n << 6n;
const WASI_STREAM_LEVEL: Record<number, number> = { 1: 1, 2: 3 };

/** What the WASI imports need from the glue. */
export type WasiHost = {
  /** The agent's memory now (it may have grown since the last call). */
  buffer(): ArrayBuffer;
  /** Bytes `ptr .. ptr + len` of the agent's memory, bounds-checked. */
  bytes(ptr: number, len: number): Uint8Array;
  /** Adds a log line to the call's logs (within their caps). */
  log(level: number, text: string): void;
  /** Pays `cost` fuel, or fails the call. */
  charge(cost: number): void;
  /** The longest log line kept. */
  maxLogBytes: number;
};

type Pending = { decoder: TextDecoder; text: string };

/** The `wasi_snapshot_preview1` imports, and `flush` to call when a call into the agent ends. */
export function wasi(host: WasiHost) {
  let pending = new Map<number, Pending>();
  const view = () => new DataView(host.buffer());
  const put32 = (ptr: number, value: number) => {
    host.bytes(ptr, 4);
    view().setUint32(ptr >>> 0, value, true);
  };
  /** `environ_sizes_get` and `args_sizes_get`: no strings, no bytes. */
  const noStrings = (countPtr: number, sizePtr: number): number => {
    put32(countPtr, 0);
    put32(sizePtr, 0);
    return 0;
  };
  const emit = (fd: number, text: string) => {
    const lines = text.split("\n");
    const last = lines.pop() ?? "";
    for (const line of lines) host.log(WASI_STREAM_LEVEL[fd] ?? 1, line);
    return last;
  };

  /** Logs what is left of a line without its newline (end of a call into the agent). */
  function flush(): void {
    // fd 1 before fd 2, whichever was written first.
    for (const fd of [1, 2]) {
      const p = pending.get(fd);
      if (!p) continue;
      const text = p.text + p.decoder.decode();
      if (text !== "") host.log(WASI_STREAM_LEVEL[fd] ?? 1, text);
    }
    pending = new Map();
  }

  const imports = {
    fd_write(fd: number, iovs: number, count: number, nwrittenPtr: number): number {
      if (fd !== 1 && fd !== 2) return WASI_EBADF;
      let p = pending.get(fd);
      if (!p) pending.set(fd, (p = { decoder: new TextDecoder("utf-8"), text: "" }));
      let total = 0;
      for (let i = 0; i < count >>> 0; i++) {
        // struct ciovec { u32 buf; u32 buf_len }
        const iov = (iovs >>> 0) + i * 8;
        host.bytes(iov, 8);
        const ptr = view().getUint32(iov, true);
        const len = view().getUint32(iov + 4, true);
        host.charge(len * HOST_FUEL.writePerByte);
        p.text = emit(fd, p.text + p.decoder.decode(host.bytes(ptr, len), { stream: true }));
        // An unfinished line keeps what the log would keep of it, however much more is written.
        if (p.text.length > host.maxLogBytes) p.text = p.text.slice(0, host.maxLogBytes);
        total += len;
      }
      // Everything counts as written, even past the log's caps: libc would retry the rest forever.
      put32(nwrittenPtr, total);
      return 0;
    },
    fd_close(fd: number): number {
      return fd >= 0 && fd <= 2 ? 0 : WASI_EBADF;
    },
    fd_seek(fd: number, _offset: bigint, _whence: number, _newOffsetPtr: number): number {
      return fd >= 0 && fd <= 2 ? WASI_ESPIPE : WASI_EBADF;
    },
    fd_fdstat_get(fd: number, ptr: number): number {
      if (fd < 0 || fd > 2) return WASI_EBADF;
      // struct fdstat { u8 filetype; u16 flags; u64 rights_base; u64 rights_inheriting } = 24 bytes.
      host.bytes(ptr, 24).fill(0);
      const v = view();
      v.setUint8(ptr >>> 0, WASI_FILETYPE_CHARACTER_DEVICE);
      v.setBigUint64((ptr >>> 0) + 8, fd === 0 ? WASI_RIGHT_FD_READ : WASI_RIGHT_FD_WRITE, true);
      return 0;
    },
    random_get(ptr: number, len: number): number {
      fillRandom(host.bytes(ptr, len));
      return 0;
    },
    clock_time_get(id: number, _precision: bigint, timePtr: number): number {
      if (id < 0 || id > 3) return WASI_EINVAL;
      host.bytes(timePtr, 8);
      view().setBigUint64(timePtr >>> 0, BigInt(Date.now()) * 1000000n, true);
      return 0;
    },
    proc_exit(code: number): never {
      throw new SandboxFault("trap", `proc_exit(${code}): the agent called exit`);
    },
    environ_sizes_get: noStrings,
    environ_get: (_environ: number, _buf: number): number => 0,
    args_sizes_get: noStrings,
    args_get: (_argv: number, _buf: number): number => 0,
  };
  return { imports, flush };
}

/** Fills `bytes` from the crypto source, 64 KiB at a time (getRandomValues' limit per call). */
export function fillRandom(bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
}
