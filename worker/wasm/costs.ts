/**
 * Fuel the host charges for the work an agent makes it do, so that the budget bounds CPU time
 * whichever way it is spent (ARCHITECTURE.md, "Limits"). One unit of fuel is about one wasm
 * instruction (roughly 10 M per ms on this machine); the per-byte rates follow what `npm run
 * bench` measures per class of work: `memory.fill`/`memory.copy`/`memory.init` and the table
 * operations pay their length in the module itself (see `code.ts`), `BULK_FUEL_PER_BYTE` per byte
 * or element.
 */

/** log2 of the fuel a bulk memory or table operation pays per byte or element (a shift in the code). */
export const BULK_FUEL_SHIFT = 2;
/** Fuel per byte (or table element) of `memory.fill`/`copy`/`init`, `table.fill`/`copy`/`init`/`grow`. */
export const BULK_FUEL_PER_BYTE = 1 << BULK_FUEL_SHIFT;

export const HOST_FUEL = {
  /** Every host call (`send`, `log`, `now`, `random`, ...): the boundary crossing itself. */
  call: 100,
  /** `random`: per byte filled (crypto-grade bytes come at about 1 MB per ms). */
  randomPerByte: 10,
  /** `send`: per byte of the message (UTF-8 check and JSON parse). */
  sendPerByte: 20,
  /** `log`: per byte kept (at most the log line limit). */
  logPerByte: 2,
  /** `state_get`/`state_put`/`state_delete`: per byte of key and value copied across. */
  statePerByte: 20,
  /** `timer_set`: per byte of the tag. */
  timerPerByte: 20,
  /** WASI `fd_write`: per byte written (decoded into log lines, whatever the log keeps). */
  writePerByte: 2,
} as const;
