import type { ProgressStream } from "./progress.js";

/** Where a command writes: `out` for results (stdout), `err` for messages and progress (stderr). */
export type Io = { out(text: string): void; err(text: string): void; progress: ProgressStream };

/** The process's own streams. */
export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  progress: process.stderr,
};
