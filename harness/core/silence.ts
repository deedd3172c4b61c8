import type { Inbound } from "./inbox.js";

/**
 * How the harness decides that nothing more arrives (a "must not answer" check): for a hosted
 * agent the runtime says when the agent is quiet ({@link Quietness}); for any other agent the
 * harness listens for a window derived from the round trips it measured in this run.
 */

/** What a channel knows about the agent's quietness (see `Channel.quiet`). */
export type Quietness =
  /** The agent has nothing more to say and everything it said is in the channel's inbox. */
  | { status: "quiet" }
  /** The agent was still busy when the wait ran out; `detail` says with what. */
  | { status: "busy"; detail: string }
  /** The channel cannot tell (e.g. the runtime is older than the quiescence route). */
  | { status: "unknown" };

/** Options of the adaptive window (`--silence`, `--timeout`). */
export type SilenceOptions = {
  /** The shortest window in ms (default {@link DEFAULT_SILENCE_FLOOR_MS}). */
  floor?: number;
  /** The window is this multiple of the observed p99 round trip, when that is longer (default 4). */
  factor?: number;
};

/** The shortest adaptive window: as long as the fixed windows the suites had before. */
export const DEFAULT_SILENCE_FLOOR_MS = 300;
const DEFAULT_FACTOR = 4;
/** Round trips needed before the p99 is trusted; until then the window is the cautious one below. */
const MIN_SAMPLES = 3;
const CAUTIOUS_MS = 1_000;
/** Requests remembered while their answer is awaited (older ones are forgotten). */
const MAX_OPEN = 1_000;

/** One wait for silence in a test, as reported in its result. */
export type SilenceWait =
  /** The runtime said the agent was quiet after `ms`. */
  | { mode: "quiescent"; ms: number }
  /** The harness listened for `window_ms`, derived from `samples` round trips (p99 `p99_ms`). */
  | { mode: "adaptive"; window_ms: number; p99_ms: number | null; samples: number };

/** The run's round trips, as reported in the profile. */
export type SilenceSummary = {
  floor_ms: number;
  factor: number;
  round_trips: { samples: number; p50_ms: number | null; p99_ms: number | null };
};

/**
 * The run's round-trip meter and adaptive window: a request's `reply_with`, sent at t0, answered
 * by a message quoting it (`in_reply_to`) at t1, is one sample of t1 - t0. A slow machine makes
 * every sample slower, so the window grows with the load instead of closing before a late answer.
 */
export class Silence {
  readonly floor: number;
  readonly factor: number;
  readonly #open = new Map<string, number>();
  readonly #samples: number[] = [];

  constructor(options: SilenceOptions = {}) {
    this.floor = options.floor ?? DEFAULT_SILENCE_FLOOR_MS;
    this.factor = options.factor ?? DEFAULT_FACTOR;
  }

  /** A message the harness sent: remembered by its `reply_with`. */
  sent(message: unknown): void {
    if (
      message === null ||
      typeof message !== "object" ||
      !("reply_with" in message) ||
      typeof message.reply_with !== "string"
    )
      return;
    if (this.#open.size >= MAX_OPEN) this.#open.delete(this.#open.keys().next().value as string);
    this.#open.set(message.reply_with, performance.now());
  }

  /** An arrival: a sample when it answers a remembered message (first answer only). */
  arrived(item: Inbound): void {
    if (!item.ok || typeof item.message.in_reply_to !== "string") return;
    const at = this.#open.get(item.message.in_reply_to);
    if (at === undefined) return;
    this.#open.delete(item.message.in_reply_to);
    this.#samples.push(performance.now() - at);
  }

  /** The window to listen for now. */
  window(): Extract<SilenceWait, { mode: "adaptive" }> {
    const samples = this.#samples.length;
    const p99 = this.#quantile(0.99);
    const derived = p99 === null || samples < MIN_SAMPLES ? Math.max(CAUTIOUS_MS, this.floor) : this.factor * p99;
    return {
      mode: "adaptive",
      window_ms: Math.ceil(Math.max(this.floor, derived)),
      p99_ms: p99 === null ? null : round(p99),
      samples,
    };
  }

  /** What the profile reports. */
  summary(): SilenceSummary {
    const p50 = this.#quantile(0.5);
    const p99 = this.#quantile(0.99);
    return {
      floor_ms: this.floor,
      factor: this.factor,
      round_trips: {
        samples: this.#samples.length,
        p50_ms: p50 === null ? null : round(p50),
        p99_ms: p99 === null ? null : round(p99),
      },
    };
  }

  #quantile(q: number): number | null {
    if (this.#samples.length === 0) return null;
    const sorted = [...this.#samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? null;
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
