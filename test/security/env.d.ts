declare global {
  namespace Cloudflare {
    interface Env {
      /** The read-only token (vitest.config.ts). */
      AGTEST_READ_TOKEN: string;
      /** A network for the sandbox test's control probe. */
      PROBE_OUTBOUND: Fetcher;
      /** What reached the outside world (vitest.config.ts, `outsideWorld`), and its scripted answers. */
      OUTSIDE_LOG: Fetcher;
      FIXTURE_AMPLIFIER: ArrayBuffer;
    }
  }
}
export {};
