import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/** Busy-loop worker threads, one per core, for a bounded time: a saturated CI runner. */
export type CpuHog = {
  /** Loop rounds each thread completed so far (each is ~1 ms of pure CPU): proof they ran. */
  rounds(): number[];
  stop(): Promise<void>;
};

// Each thread spins until the shared flag says stop or its own deadline passes, whichever first,
// so a test that dies without stopping it cannot leave the machine saturated.
const SPIN = `
const { workerData } = require("node:worker_threads");
const { flag, counters, index, until } = workerData;
const stop = new Int32Array(flag);
const count = new Int32Array(counters);
while (Atomics.load(stop, 0) === 0 && Date.now() < until) {
  const end = Date.now() + 1;
  let x = 0;
  while (Date.now() < end) x = (x * 1103515245 + 12345) | 0;
  Atomics.add(count, index, x === 42 ? 2 : 1);
}
`;

/** Starts one busy thread per core (at least 2) for at most `maxMs`. */
export function startCpuHog(maxMs: number): CpuHog {
  const threads = Math.max(2, availableParallelism());
  const flag = new SharedArrayBuffer(4);
  const counters = new SharedArrayBuffer(4 * threads);
  const until = Date.now() + maxMs;
  const workers = Array.from(
    { length: threads },
    (_, index) => new Worker(SPIN, { eval: true, workerData: { flag, counters, index, until } }),
  );
  return {
    rounds: () => Array.from(new Int32Array(counters)),
    async stop() {
      Atomics.store(new Int32Array(flag), 0, 1);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
