import type { ProgressEvent } from "../core/index.js";

/** Where progress goes: a stream with an optional TTY flag (stderr, or a fake in tests). */
export type ProgressStream = { isTTY?: boolean; columns?: number; write(text: string): unknown };

/**
 * Progress for `agtest run`, on stderr so stdout keeps only the report: on a terminal one live
 * line (counter, tallies, current test), rewritten in place; elsewhere (CI logs) one plain line
 * per finished test.
 */
export function progressDisplay(stream: ProgressStream): {
  onProgress: (event: ProgressEvent) => void;
  done: () => void;
} {
  const live = stream.isTTY === true;
  const tally = { pass: 0, fail: 0, skip: 0, error: 0 };
  let shown = false;
  const width = () => Math.max(40, (stream.columns ?? 80) - 1);
  const onProgress = (event: ProgressEvent) => {
    if (event.type === "start") {
      if (!live) stream.write(`running ${event.total} tests: ${event.junctions.join(", ") || "no junctions"}\n`);
      return;
    }
    if (event.type === "test-start") {
      if (!live) return;
      const counts = `${tally.pass} passed${tally.fail ? `, ${tally.fail} failed` : ""}${tally.skip ? `, ${tally.skip} skipped` : ""}${tally.error ? `, ${tally.error} errors` : ""}`;
      const line = `[${event.index + 1}/${event.total}] ${counts} · ${event.test}`;
      stream.write(`\r\x1b[2K${line.length > width() ? `${line.slice(0, width() - 1)}…` : line}`);
      shown = true;
      return;
    }
    tally[event.result.status]++;
    if (!live) stream.write(`${event.result.status.padEnd(5)} ${event.result.test} (${event.result.ms} ms)\n`);
  };
  return {
    onProgress,
    done() {
      if (shown) stream.write("\r\x1b[2K");
    },
  };
}
