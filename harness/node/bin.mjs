#!/usr/bin/env node
// `agtest` as the package's bin: registers tsx (the project runs TypeScript as is) and starts the CLI.
import { register } from "tsx/esm/api";

register();
await import("./bin.ts");
