declare global {
  namespace Cloudflare {
    interface Env {
      /** The read-only token (vitest.config.ts). */
      AGTEST_READ_TOKEN: string;
      /** A network for the sandbox test's control probe. */
      PROBE_OUTBOUND: Fetcher;
    }
  }
}
export {};
