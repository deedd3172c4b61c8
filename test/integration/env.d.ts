import type { Env as RuntimeEnv } from "../../worker/env.js";

declare global {
  namespace Cloudflare {
    interface Env extends RuntimeEnv {
      AGTEST_TOKEN: string;
      FIXTURE_PING: ArrayBuffer;
      FIXTURE_ECHO: ArrayBuffer;
      FIXTURE_SPIN: ArrayBuffer;
      FIXTURE_MEMORY_HOG: ArrayBuffer;
      FIXTURE_FORBIDDEN_IMPORT: ArrayBuffer;
      FIXTURE_CPU_BURN: ArrayBuffer;
      FIXTURE_BUYER: ArrayBuffer;
      FIXTURE_SELLER: ArrayBuffer;
      FIXTURE_MEDIATOR: ArrayBuffer;
      FIXTURE_CHAIN_RELAY: ArrayBuffer;
      FIXTURE_SPOOFER: ArrayBuffer;
      FIXTURE_FLOODER: ArrayBuffer;
      FIXTURE_COUNTER: ArrayBuffer;
    }
  }
}
