import { run } from "./main.js";

// The action's entry (action.yml `runs.main`, once bundled to action/dist/index.js).
await run();
