/**
 * Fuel the host charges for the work an agent makes it do, so that the budget bounds CPU time
 * whichever way it is spent (ARCHITECTURE.md, "Limits"). One unit of fuel is about one wasm
 * instruction (roughly 10 M per ms on this machine); the per-byte rates follow what `npm run
 * bench` measures per class of work: `memory.fill`/`memory.copy`/`memory.init` and the table
 * operations pay their length in the module itself (see `code.ts`), 1 fuel per byte or element.
 */
export const HOST_FUEL = {
  /** Every host call (`send`, `log`, `now`, `random`, ...): the boundary crossing itself. */
  call: 100,
  /** `random`: per byte filled (crypto-grade bytes come at about 1 MB per ms). */
  randomPerByte: 10,
  /** `send`: per byte of the message (UTF-8 check and JSON parse). */
  sendPerByte: 10,
  /** `log`: per byte kept (at most the log line limit). */
  logPerByte: 2,
} as const;
