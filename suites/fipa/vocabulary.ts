import type { MessageFields, TestContext } from "../../harness/core/index.js";

/**
 * The `fipa` suite's own ontology: the few contents a tested agent must understand so that the
 * protocol tests can drive each path of each protocol (the suite content defines them, as HIPE
 * 0015 lets it). Contents are JSON, `language: application/json`.
 *
 * | message | content | answer |
 * |---|---|---|
 * | `request` | `{"do":"echo","text":T}` | (`agree`), `inform` `{"echo":T}` |
 * | `request` | `{"do":"fail"}` | (`agree`), `failure` saying why |
 * | `request` | `{"do":"hold"}` | `agree`; a later `cancel` gets `inform` (or `failure`) |
 * | `request` | `{"do":OTHER}` | `refuse` (or `not-understood`) |
 * | `query-ref` | `{"ref":"name"}` | `inform` `{"name":AGENT}` |
 * | `query-if` | `{"name":X}` | `inform` `{"name":X,"holds":X is the agent's name}` |
 * | `cfp` | `{"product":P}` | `propose` `{"product":P,"price":N}` (N a positive integer), before `reply_by` |
 * | `cfp` | `{}` (no product) | `refuse` |
 * | `accept-proposal` | the proposal | `inform` (done) |
 */
export const ONTOLOGY = "agtest-fipa";

/** JSON contents. */
export const JSON_LANGUAGE = "application/json";

/** HIPE 0015's agent-metadata request travels in this ontology (see `metadata/`). */
export const METADATA_ONTOLOGY = "agent-metadata";

/** A short random tag, so each test's contents are its own. */
export function tag(prefix = "agtest"): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A `request` of the suite's ontology (fipa-request). */
export function request(content: Record<string, unknown>): MessageFields {
  return { performative: "request", protocol: "fipa-request", ontology: ONTOLOGY, language: JSON_LANGUAGE, content };
}

/** A `cfp` for `product` (none: a cfp nobody can bid on) answerable until `withinMs` from now. */
export function cfp(product: string | undefined, withinMs: number): MessageFields {
  return {
    performative: "cfp",
    protocol: "fipa-contract-net",
    ontology: ONTOLOGY,
    language: JSON_LANGUAGE,
    content: product === undefined ? {} : { product },
    reply_by: new Date(Date.now() + withinMs).toISOString(),
  };
}

/** A query of the suite's ontology (fipa-query). */
export function query(performative: "query-ref" | "query-if", content: Record<string, unknown>): MessageFields {
  return { performative, protocol: "fipa-query", ontology: ONTOLOGY, language: JSON_LANGUAGE, content };
}

/** HIPE 0015's agent-metadata request for the interop profiles of `suites`, as a fipa-query query-ref. */
export function metadataRequest(suites: readonly string[]): MessageFields {
  return {
    performative: "query-ref",
    protocol: "fipa-query",
    ontology: METADATA_ONTOLOGY,
    language: JSON_LANGUAGE,
    content: { what: suites.map((uri) => ({ "interop-profile": uri })) },
  };
}

/** Where the agent should send what the harness asks it to: the harness's own address. */
export function harnessAddress(t: TestContext): string {
  return t.replyTo ?? t.self;
}

/** A JSON object content as a record, or undefined for any other content. */
export function objectContent(content: unknown): Record<string, unknown> | undefined {
  return content !== null && typeof content === "object" && !Array.isArray(content)
    ? (content as Record<string, unknown>)
    : undefined;
}
