/** A bucket's level at a time: what the host keeps in its SQLite so an evicted host remembers it. */
export type BucketState = { tokens: number; at: number };

/**
 * A token bucket: holds at most `burst` tokens, refilled at `rate` tokens per second; each
 * admitted message takes one. Its level is saved in the agent host's SQLite (worker/host/counters.ts),
 * so an evicted or restarted host goes on where it was instead of starting with a full bucket.
 */
export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
    saved?: BucketState,
  ) {
    this.#tokens = saved ? Math.min(burst, saved.tokens) : burst;
    this.#at = saved ? Math.min(now, saved.at) : now;
  }

  /** The level to save. */
  get state(): BucketState {
    return { tokens: this.#tokens, at: this.#at };
  }

  /** Takes a token: 0 when admitted, else the milliseconds until one will be there. */
  take(now: number): number {
    this.#tokens = Math.min(this.burst, this.#tokens + (Math.max(0, now - this.#at) * this.rate) / 1000);
    this.#at = Math.max(now, this.#at);
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.#tokens) * 1000) / this.rate));
  }
}
