import { serve } from "./serve.js";

// `npm start`: the local runtime (the logic is in serve.ts, shared with `agtest serve`).
serve(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`agtest runtime: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
