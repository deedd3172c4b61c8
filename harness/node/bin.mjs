#!/usr/bin/env node
// `agtest` as the package's bin. In the repository (the TypeScript sources beside this file) it
// registers tsx and runs them; the installed package runs the compiled CLI (`npm run build`).
import { existsSync } from "node:fs";

if (existsSync(new URL("./bin.ts", import.meta.url))) {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./bin.ts");
} else {
  await import("../../dist/cli/bin.js");
}
