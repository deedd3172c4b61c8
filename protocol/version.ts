import pkg from "../package.json" with { type: "json" };

/** agtest's version: package.json's, the one place it is written (CLI `--version`, `/v1/health`, OpenAPI). */
export const VERSION: string = pkg.version;
