import { CliError, EXIT } from "./exit.js";

/** The agent record the runtime answers a deploy with (the fields agtest shows). */
export type AgentRecord = {
  name: string;
  version: number;
  state: string;
  termination_reason: string | null;
  [key: string]: unknown;
};

/**
 * Deploys a module to a runtime (`POST /v1/agents?name=NAME`), with a manifest when one is given;
 * a refusal or an unreachable runtime is a {@link CliError} with exit code 3 and the runtime's
 * own reason.
 */
export async function deployAgent(options: {
  url: string;
  token: string;
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
  manifest?: object;
}): Promise<AgentRecord> {
  const { url, token, name, bytes, manifest } = options;
  const target = `${url.replace(/\/+$/, "")}/v1/agents?name=${encodeURIComponent(name)}`;
  let res: Response;
  try {
    const body = manifest === undefined ? bytes : form(bytes, name, manifest);
    // FormData sets its own multipart content type (with the boundary).
    const type: Record<string, string> = manifest === undefined ? { "content-type": "application/wasm" } : {};
    res = await fetch(target, { method: "POST", headers: { authorization: `Bearer ${token}`, ...type }, body });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new CliError(`deploy: cannot reach ${url} (${cause})`, EXIT.unreachable);
  }
  const body = (await res.json().catch(() => ({}))) as {
    error?: { code?: string; message?: string };
  } & Partial<AgentRecord>;
  if (res.status !== 201) {
    const why = body.error ? `${body.error.code ?? ""} ${body.error.message ?? ""}`.trim() : `HTTP ${res.status}`;
    throw new CliError(`deploy of ${name} failed: ${why}`, EXIT.unreachable);
  }
  const record = body as AgentRecord;
  if (record.state === "failed") {
    throw new CliError(
      `deploy of ${name} failed: the agent did not start (${record.termination_reason ?? "unknown reason"})`,
      EXIT.unreachable,
    );
  }
  return record;
}

/** The multipart deploy body: the module and its manifest (limits, services, egress). */
function form(bytes: Uint8Array<ArrayBuffer>, name: string, manifest: object): FormData {
  const body = new FormData();
  body.set("module", new Blob([bytes], { type: "application/wasm" }), `${name}.wasm`);
  body.set("manifest", JSON.stringify(manifest));
  return body;
}
