/** What the integration project's global setup (test/setup/native-agents.ts) hands its tests. */
export type NativeAgents = {
  /** Agent name -> its .wasm, base64. */
  modules: Record<string, string>;
  /** Agent name -> why it was not built (its toolchain is missing). */
  missing: Record<string, string>;
  /** Toolchain -> the compiler used and its version. */
  compilers: Record<string, string>;
};

declare module "vitest" {
  export interface ProvidedContext {
    nativeAgents: NativeAgents;
  }
}
