/**
 * A token bucket: holds at most `burst` tokens, refilled at `rate` tokens per second; each
 * admitted message takes one. Kept in the agent host's memory, not in storage: an evicted host
 * starts again with a full bucket, which errs on the side of delivering.
 */
export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#at = now;
  }

  /** Takes a token: 0 when admitted, else the milliseconds until one will be there. */
  take(now: number): number {
    this.#tokens = Math.min(this.burst, this.#tokens + (Math.max(0, now - this.#at) * this.rate) / 1000);
    this.#at = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.#tokens) * 1000) / this.rate));
  }
}
