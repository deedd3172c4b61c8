import { readFileSync } from "node:fs";

/** A logged message of a conversation, as `GET /v1/conversations/:id` shows it. */
export type Logged = { seq: number; origin: string; message: Record<string, unknown> };

/** The parts of an agent record the load and chaos runs read. */
export type AgentView = {
  name: string;
  state: string;
  termination_reason: string | null;
  stats: { messages_in: number; mailbox_depth: number; traps: number };
};

/**
 * A small client of a running runtime's HTTP API, for the benchmarks and the chaos and load
 * tests (which run against a real runtime on loopback, not through the harness).
 */
export class RuntimeClient {
  constructor(
    readonly url: string,
    readonly token: string,
  ) {}

  /** Calls the API with the admin token. */
  call(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${this.token}`, ...(init.headers as Record<string, string>) },
    });
  }

  /** Deploys `fixtures/agents/<fixture>.wasm` as `name`, with a manifest when given; throws unless 201. */
  async deploy(name: string, fixture: string, manifest?: unknown): Promise<void> {
    const wasm = readFileSync(`fixtures/agents/${fixture}.wasm`);
    let res: Response;
    if (manifest === undefined) {
      res = await this.call(`/v1/agents?name=${name}`, {
        method: "POST",
        headers: { "content-type": "application/wasm" },
        body: wasm,
      });
    } else {
      const form = new FormData();
      form.set("module", new Blob([wasm]), `${fixture}.wasm`);
      form.set("manifest", JSON.stringify(manifest));
      res = await this.call(`/v1/agents?name=${name}`, { method: "POST", body: form });
    }
    if (res.status !== 201) throw new Error(`deploy ${name}: HTTP ${res.status} ${await res.text()}`);
  }

  /** Routes a message; with `wait`, the first reply (status 200) or 202. */
  async send(message: unknown, wait: number | null = null): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await this.call(wait === null ? "/v1/messages" : `/v1/messages?wait=${wait}`, {
      method: "POST",
      body: JSON.stringify(message),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  /** An agent's record, or null when there is none. */
  async agent(name: string): Promise<AgentView | null> {
    const res = await this.call(`/v1/agents/${name}`);
    if (res.status === 404) return null;
    return (await res.json()) as AgentView;
  }

  /** Every agent's record. */
  async agents(): Promise<AgentView[]> {
    return ((await (await this.call("/v1/agents")).json()) as { agents: AgentView[] }).agents;
  }

  /** A lifecycle call (`stop`, `start`); throws unless 200. */
  async lifecycle(name: string, action: "stop" | "start"): Promise<AgentView> {
    const res = await this.call(`/v1/agents/${name}/${action}`, { method: "POST" });
    if (res.status !== 200) throw new Error(`${action} ${name}: HTTP ${res.status}`);
    return (await res.json()) as AgentView;
  }

  /** Every message of a conversation (none when it does not exist). */
  async transcript(id: string): Promise<Logged[]> {
    const res = await this.call(`/v1/conversations/${encodeURIComponent(id)}`);
    if (res.status === 404) return [];
    return ((await res.json()) as { messages: Logged[] }).messages;
  }
}
