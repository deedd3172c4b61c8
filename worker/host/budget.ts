import { BURST_SECONDS, RUNTIME_LIMITS } from "../limits.js";
import type { BucketState } from "./rate.js";

/**
 * An agent's outbound rate, in deliveries per second: a token bucket holding
 * {@link BURST_SECONDS} seconds of `rate` that may go into debt by what one handled message
 * caused. While in debt the agent is slowed: its next message is delivered only once the bucket
 * is back at zero. Saved in the host's SQLite like the inbound bucket: an evicted host keeps its debt.
 */
export class OutboundMeter {
  #tokens: number;
  #at: number;
  readonly burst: number;

  constructor(
    readonly rate: number,
    now: number,
    saved?: BucketState,
  ) {
    this.burst = rate * BURST_SECONDS;
    this.#tokens = saved ? Math.min(this.burst, saved.tokens) : this.burst;
    this.#at = saved ? Math.min(now, saved.at) : now;
  }

  /** The level to save. */
  get state(): BucketState {
    return { tokens: this.#tokens, at: this.#at };
  }

  #refill(now: number): void {
    this.#tokens = Math.min(this.burst, this.#tokens + (Math.max(0, now - this.#at) * this.rate) / 1000);
    this.#at = Math.max(now, this.#at);
  }

  /** Charges the deliveries a handled message caused (the bucket may go into debt). */
  charge(deliveries: number, now: number): void {
    this.#refill(now);
    this.#tokens -= deliveries;
  }

  /** Milliseconds until the bucket is out of debt: 0 when the agent may handle its next message now. */
  waitMs(now: number): number {
    this.#refill(now);
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens * 1000) / this.rate);
  }
}

/**
 * Handled messages whose sends a routing limit refused (the delivery budget, a receiver's rate
 * or mailbox cap, a full conversation), within the last minute. Past
 * {@link RUNTIME_LIMITS.routing_strikes} the agent is terminated (`RoutingLimitExceeded`): it
 * was slowed and refused and kept going.
 */
export class RoutingStrikes {
  #at: number[];

  constructor(saved: number[] = []) {
    this.#at = [...saved];
  }

  /** The strike times to save. */
  get state(): number[] {
    return [...this.#at];
  }

  /** Counts one strike; true once the agent has had enough. */
  strike(now: number): boolean {
    this.#at = [...this.#at.filter((t) => now - t < 60_000), now];
    return this.#at.length >= RUNTIME_LIMITS.routing_strikes;
  }

  reset(): void {
    this.#at = [];
  }
}
