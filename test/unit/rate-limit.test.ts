import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../worker/host/rate.js";
import { BURST_SECONDS, DEFAULT_LIMITS, MAX_LIMITS, resolveLimits } from "../../worker/limits.js";

describe("the agents' rate limiter (token bucket)", () => {
  it("admits a full burst at once, then one message per 1/rate seconds", () => {
    const bucket = new TokenBucket(100, 200, 0);
    for (let i = 0; i < 200; i++) expect(bucket.take(0)).toBe(0);
    expect(bucket.take(0)).toBe(10); // the next token is 10 ms away
    expect(bucket.take(9)).toBe(1);
    expect(bucket.take(10)).toBe(0);
    expect(bucket.take(10)).toBe(10);
  });

  it("a bucket made from a saved level goes on where the saved one was (an evicted host's bucket)", () => {
    const bucket = new TokenBucket(100, 200, 0);
    for (let i = 0; i < 200; i++) bucket.take(0);
    const restored = new TokenBucket(100, 200, 5, bucket.state);
    expect(restored.take(5)).toBe(5); // 0.5 tokens refilled since 0: the next is 5 ms away
    expect(restored.take(10)).toBe(0);
    // A saved level from a clock ahead of this one is not refilled twice.
    const ahead = new TokenBucket(100, 200, 0, { tokens: 0, at: 1_000 });
    expect(ahead.take(0)).toBe(10);
  });

  it("never holds more than its burst, however long it was idle", () => {
    const bucket = new TokenBucket(10, 20, 0);
    let admitted = 0;
    while (bucket.take(3_600_000) === 0) admitted++;
    expect(admitted).toBe(20);
  });

  it("property: over any schedule, admitted <= burst + rate * elapsed, and a refusal's wait is honest", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 500 }),
        (rate, gaps) => {
          const burst = rate * BURST_SECONDS;
          const bucket = new TokenBucket(rate, burst, 0);
          let now = 0;
          let admitted = 0;
          for (const gap of gaps) {
            now += gap;
            const wait = bucket.take(now);
            if (wait === 0) admitted++;
            else expect(wait).toBeGreaterThanOrEqual(1);
          }
          expect(admitted).toBeLessThanOrEqual(burst + Math.floor((rate * now) / 1000) + 1);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it("waiting for the Retry-After it was given always gets a refused sender in", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 5000 }), (rate, start) => {
        const bucket = new TokenBucket(rate, rate * BURST_SECONDS, start);
        while (bucket.take(start) === 0);
        const wait = bucket.take(start);
        expect(wait).toBeGreaterThanOrEqual(1);
        expect(bucket.take(start + wait)).toBe(0);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("defaults to 100/s; a manifest may go up to the runtime's maximum, not past it", () => {
    expect(DEFAULT_LIMITS.rate_per_sec).toBe(100);
    expect(resolveLimits({ rate_per_sec: MAX_LIMITS.rate_per_sec })).toMatchObject({ ok: true });
    expect(resolveLimits({ rate_per_sec: MAX_LIMITS.rate_per_sec + 1 })).toEqual({
      ok: false,
      key: "rate_per_sec",
      max: MAX_LIMITS.rate_per_sec,
    });
  });
});
