import type { DurableObject } from "cloudflare:workers";
import type { AclMessage } from "../protocol/index.js";
import { type Conversation, type Origin, logShardOf } from "./conversation/index.js";
import type { Env } from "./env.js";
import type { AgentHost } from "./host/index.js";
import type { ProfileStore } from "./profiles/index.js";
import type { Registry } from "./registry/index.js";
import type { AgtalkSession } from "./relay/index.js";

/**
 * A Durable Object's RPC methods as its callers see them: the same parameters, and a promise of
 * what the method itself resolves to. The base class's handlers (`fetch`, `alarm`, ...) are not
 * part of it: only the runtime calls them.
 */
export type Client<T> = {
  [K in keyof T as K extends keyof DurableObject
    ? never
    : T[K] extends (...args: never[]) => unknown
      ? K
      : never]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/**
 * The one place a stub is typed. The stub's own RPC types (`Rpc.Result<...>`) rebuild every
 * return type as its serialised shape, which is too deep for tsc on the loose JSON of a message
 * and loses the exact type elsewhere; every method here returns plain data (structured clone
 * keeps it as it is), so the method's own return type is the exact one.
 */
function client<T extends Rpc.DurableObjectBranded>(namespace: DurableObjectNamespace<T>, name: string): Client<T> {
  return namespace.get(namespace.idFromName(name)) as unknown as Client<T>;
}

/** The agent host (Durable Object) of an agent name. */
export function hostOf(env: Env, name: string): Client<AgentHost> {
  return client(env.AGENT_HOST, name);
}

/** The log of one conversation: its log shard's methods, bound to its id. */
export function conversationOf(env: Env, id: string) {
  const shard: Client<Conversation> = client(env.CONVERSATION, logShardOf(id));
  return {
    log: (message: AclMessage, origin: Origin) => shard.log(id, message, origin),
    unlog: (messageId: string) => shard.unlog(id, messageId),
    noteRefused: (reason: string, excerpt: unknown) => shard.noteRefused(id, reason, excerpt),
    waitFor: (receiver: string, after: number, ms: number) => shard.waitFor(id, receiver, after, ms),
    transcript: () => shard.transcript(id),
  };
}

/** The relay session of an id. */
export function relayOf(env: Env, id: string): Client<AgtalkSession> {
  return client(env.AGTALK, id);
}

/** The runtime's single registry. */
export function registryOf(env: Env): Client<Registry> {
  return client(env.REGISTRY, "registry");
}

/** The profile store of a repository (owner and repo compared without case). */
export function profilesOf(env: Env, owner: string, repo: string): Client<ProfileStore> {
  return client(env.PROFILES, `${owner}/${repo}`.toLowerCase());
}
