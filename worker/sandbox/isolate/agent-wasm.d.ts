/** The instrumented agent module, loaded beside the glue by the Worker Loader (`isolate/entry.ts`). */
declare module "agent.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
