import { Hono } from "hono";
import type { Env } from "../env.js";
import { registryOf } from "../stubs.js";

/**
 * `GET /v1/directory`: the directory facilitator (FIPA SC00023 `search`) over the services
 * agents register in their manifest; every filter given must match (service name, type,
 * protocol, ontology).
 */
export const directory = new Hono<{ Bindings: Env }>().get("/", async (c) => {
  const filter = {
    service: c.req.query("service") ?? null,
    type: c.req.query("type") ?? null,
    protocol: c.req.query("protocol") ?? null,
    ontology: c.req.query("ontology") ?? null,
  };
  return c.json({ agents: await registryOf(c.env).search(filter) });
});
