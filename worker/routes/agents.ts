import { Hono } from "hono";
import { AGENT_NAME_PATTERN } from "../../protocol/index.js";
import type { Env } from "../env.js";
import { ApiError, unwrap } from "../errors.js";
import { MAX_LIMITS, resolveLimits } from "../limits.js";
import { readUpload } from "../upload.js";
import { buildModule } from "./deploy.js";
import { noteHosted } from "../routing/hosted.js";
import { hostOf, registryOf } from "../stubs.js";

/** Names the runtime speaks as, or routes elsewhere; no agent may take them. */
const RESERVED = /^(runtime$|agtalk-)/;

function checkName(name: string | undefined): string {
  if (!name)
    throw new ApiError(
      "INVALID_REQUEST",
      "the agent name is missing: POST /v1/agents?name=NAME (or `name` in the manifest)",
    );
  if (!AGENT_NAME_PATTERN.test(name)) {
    throw new ApiError(
      "INVALID_REQUEST",
      `invalid agent name \`${name}\`: lowercase letters, digits, - _ . (1 to 63, starting with a letter or digit)`,
    );
  }
  if (RESERVED.test(name)) throw new ApiError("INVALID_REQUEST", `\`${name}\` is reserved by the runtime`);
  return name;
}

/** `/v1/agents`: deploy, list, inspect, reload, stop, start, delete. */
export const agents = new Hono<{ Bindings: Env }>()
  .post("/", async (c) => {
    const upload = await readUpload(c.req.raw, MAX_LIMITS.module_bytes);
    const queryName = c.req.query("name");
    if (queryName && upload.manifest.name && queryName !== upload.manifest.name) {
      throw new ApiError("INVALID_REQUEST", `?name=${queryName} and manifest.name=${upload.manifest.name} disagree`);
    }
    const name = checkName(queryName ?? upload.manifest.name);
    const resolved = resolveLimits(upload.manifest.limits);
    if (!resolved.ok) {
      throw new ApiError(
        "INVALID_MANIFEST",
        `manifest.limits.${resolved.key} exceeds the runtime's maximum of ${resolved.max}`,
      );
    }
    const module = await buildModule(upload.bytes, resolved.limits);
    const registry = registryOf(c.env);
    unwrap(await registry.reserve(name));
    noteHosted(name);
    try {
      const record = unwrap(
        await hostOf(c.env, name).deploy({
          name,
          limits: resolved.limits,
          services: upload.manifest.services ?? [],
          egress: upload.manifest.egress ?? [],
          module,
        }),
      );
      return c.json(record, 201);
    } catch (err) {
      await registry.remove(name);
      throw err;
    }
  })
  .get("/", async (c) => {
    const summaries = await registryOf(c.env).list();
    const records = await Promise.all(summaries.map(async (s) => await hostOf(c.env, s.name).record()));
    return c.json({ agents: records.flatMap((r) => (r.ok ? [r.value] : [])) });
  })
  .get("/:name", async (c) => c.json(unwrap(await hostOf(c.env, c.req.param("name")).record())))
  .put("/:name", async (c) => {
    const name = c.req.param("name");
    const host = hostOf(c.env, name);
    const current = unwrap(await host.record());
    const upload = await readUpload(c.req.raw, current.limits.module_bytes);
    if (Object.keys(upload.manifest).length > 0) {
      throw new ApiError(
        "INVALID_MANIFEST",
        "a reload keeps the agent's manifest; send the module alone (delete and deploy again to change limits or services)",
      );
    }
    const module = await buildModule(upload.bytes, current.limits);
    return c.json(unwrap(await host.reload(module)));
  })
  .get("/:name/dead-letters", async (c) =>
    c.json({ dead_letters: unwrap(await hostOf(c.env, c.req.param("name")).deadLetters()) }),
  )
  .post("/:name/stop", async (c) => c.json(unwrap(await hostOf(c.env, c.req.param("name")).stop())))
  .post("/:name/start", async (c) => c.json(unwrap(await hostOf(c.env, c.req.param("name")).start())))
  .delete("/:name", async (c) => {
    const name = c.req.param("name");
    unwrap(await hostOf(c.env, name).destroy());
    await registryOf(c.env).remove(name);
    return c.body(null, 204);
  });
