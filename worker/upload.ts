import * as z from "zod";
import { readBody } from "./body.js";
import { ApiError } from "./errors.js";
import { parseJsonText } from "./json.js";
import { LimitsSchema } from "./limits.js";
import { ServiceSchema } from "./host/record.js";
import { AGENT_NAME_PATTERN } from "../protocol/index.js";

/** The manifest that may accompany a module (multipart field `manifest`). */
export const ManifestSchema = z
  .object({
    name: z
      .string()
      .regex(AGENT_NAME_PATTERN, "an agent name: lowercase letters, digits, - _ . (at most 63)")
      .optional(),
    limits: LimitsSchema.optional(),
    services: z.array(ServiceSchema).max(64).optional(),
    /** Hosts the runtime may reach on the agent's behalf (exact host names, or `*.example.com`). */
    egress: z
      .array(z.string().regex(/^(\*\.)?[a-z0-9.-]+(:\d+)?$/i, "a host name"))
      .max(64)
      .optional(),
  })
  .strict();
export type Manifest = z.infer<typeof ManifestSchema>;

/** Room for the manifest and multipart framing on top of the module limit. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * What a module over the limit most often is: a debug build. Rust's std for wasm carries its
 * debug info (a debug build of a ping is 6-7 MB of the 8 MiB), clang's `-g` adds DWARF sections.
 */
export const STRIP_HINT =
  "strip debug info: build in release without debug info (rustc -O -C strip=debuginfo, cargo --release; clang without -g) or run llvm-strip / wasm-strip";

/** An uploaded module with its manifest. */
export type Upload = { bytes: Uint8Array; manifest: Manifest };

/**
 * Parses a deploy or reload body: `application/wasm` (or `application/octet-stream`) is the bare
 * module; `multipart/form-data` carries `module` and an optional JSON `manifest`.
 */
export async function readUpload(request: Request, moduleLimit: number): Promise<Upload> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/wasm" || type === "application/octet-stream") {
    return { bytes: await readBody(request, moduleLimit, STRIP_HINT), manifest: {} };
  }
  if (type !== "multipart/form-data") {
    throw new ApiError(
      "UNSUPPORTED_MEDIA_TYPE",
      `expected Content-Type application/wasm or multipart/form-data (module + manifest), got ${type || "none"}`,
    );
  }
  const body = await readBody(request, moduleLimit + MULTIPART_OVERHEAD, STRIP_HINT);
  let form: FormData;
  try {
    form = await new Response(body, {
      headers: { "content-type": request.headers.get("content-type") ?? "" },
    }).formData();
  } catch {
    throw new ApiError("INVALID_REQUEST", "malformed multipart/form-data body");
  }
  const module = form.get("module");
  if (!module || typeof module === "string") {
    throw new ApiError("INVALID_REQUEST", "multipart field `module` (the .wasm file) is missing");
  }
  if (module.size > moduleLimit) {
    throw new ApiError("PAYLOAD_TOO_LARGE", `module exceeds the limit of ${moduleLimit} bytes; ${STRIP_HINT}`);
  }
  return { bytes: new Uint8Array(await module.arrayBuffer()), manifest: await parseManifest(form.get("manifest")) };
}

async function parseManifest(field: File | string | null): Promise<Manifest> {
  if (field === null) return {};
  // Clients send the manifest either as a text field or as a JSON file part.
  const text = typeof field === "string" ? field : await field.text();
  const json = parseJsonText(text);
  if (!json.ok) throw new ApiError("INVALID_MANIFEST", `manifest is ${json.reason}`);
  const parsed = ManifestSchema.safeParse(json.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join(".") || "(manifest)";
    throw new ApiError("INVALID_MANIFEST", `manifest.${key}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}
