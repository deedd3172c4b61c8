import type { RunReport } from "../../harness/core/index.js";
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.js";
import { type Result, failure } from "../errors.js";
import type { AgentState, ServiceEntry } from "../host/record.js";
import { type Sql, migrate, sqlOf } from "../sql.js";

/** What the registry knows of an agent; the agent's host holds the full record. */
export type AgentSummary = {
  name: string;
  version: number;
  state: AgentState;
  services: ServiceEntry[];
  created_at: string;
  updated_at: string;
};

/** Filters of a directory search; null = any. */
export type DirectoryFilter = {
  service: string | null;
  type: string | null;
  protocol: string | null;
  ontology: string | null;
};

/** Junction scores of a run, in suite order. */
export type RunSummary = {
  junctions: { junction: string; score: string; passed: number; total: number }[];
  ms: number;
};

/** An edge-side run as stored: `report` is the harness's report (per-test results and failures). */
export type StoredRun = {
  id: string;
  agent: string;
  suite: string;
  started_at: string;
  summary: RunSummary;
  report: RunReport;
};

type RunRow = { id: string; agent: string; suite: string; started_at: string; summary: string; report: string };

/** A published profile's address. */
export type PublishedProfile = { owner: string; repo: string; ref: string; test_suite: string; stored_at: string };

/** A directory search hit. */
export type DirectoryEntry = { name: string; state: AgentState; services: ServiceEntry[] };

type AgentRow = { name: string; version: number; state: string; created_at: string; updated_at: string };
type ServiceRow = { agent: string; name: string; type: string | null; protocols: string; ontologies: string };

/** The registry's tables, step by step: step `i` moves storage from schema version `i` to `i + 1`. */
const MIGRATIONS: ((sql: Sql) => void)[] = [
  (sql) => {
    sql.run(
      "CREATE TABLE IF NOT EXISTS agents (name TEXT PRIMARY KEY, version INTEGER NOT NULL, state TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
    );
    sql.run(
      "CREATE TABLE IF NOT EXISTS services (agent TEXT NOT NULL, name TEXT NOT NULL, type TEXT, protocols TEXT NOT NULL, ontologies TEXT NOT NULL)",
    );
    sql.run("CREATE INDEX IF NOT EXISTS services_by_agent ON services (agent)");
    sql.run(
      "CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, agent TEXT NOT NULL, suite TEXT NOT NULL, started_at TEXT NOT NULL, summary TEXT NOT NULL, report TEXT NOT NULL)",
    );
    sql.run("CREATE INDEX IF NOT EXISTS runs_by_agent ON runs (agent, started_at)");
    sql.run(
      "CREATE TABLE IF NOT EXISTS published (owner TEXT NOT NULL, repo TEXT NOT NULL, ref TEXT NOT NULL, test_suite TEXT NOT NULL, stored_at TEXT NOT NULL, PRIMARY KEY (owner, repo, ref, test_suite))",
    );
  },
  // 2: `agtest pair` reports (POST /v1/pairs), for the dashboard's pairs page.
  (sql) => {
    sql.run(
      "CREATE TABLE IF NOT EXISTS pairs (id TEXT PRIMARY KEY, stored_at TEXT NOT NULL, summary TEXT NOT NULL, report TEXT NOT NULL)",
    );
  },
];

/**
 * The runtime-wide index of agents (names are unique: reserving one is atomic because a Durable
 * Object runs one call at a time between awaits) and of the services they register.
 */
export class Registry extends DurableObject<Env> {
  readonly #sql: Sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = sqlOf(ctx.storage);
    migrate(this.#sql, MIGRATIONS);
  }

  /** Claims a name for a new agent; fails with 409 if taken. */
  async reserve(name: string): Promise<Result<null>> {
    if (this.#sql.one("SELECT name FROM agents WHERE name = ?", name)) {
      return failure(
        "AGENT_ALREADY_EXISTS",
        `an agent named \`${name}\` already exists; use PUT /v1/agents/${name} to reload it`,
      );
    }
    const now = new Date().toISOString();
    this.#sql.run(
      "INSERT INTO agents (name, version, state, created_at, updated_at) VALUES (?, 0, 'loaded', ?, ?)",
      name,
      now,
      now,
    );
    return { ok: true, value: null };
  }

  /** Records an agent's current state and services (called by its host on every lifecycle change). */
  async upsert(summary: AgentSummary): Promise<void> {
    this.#sql.run(
      "INSERT INTO agents (name, version, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version, state = excluded.state, updated_at = excluded.updated_at",
      summary.name,
      summary.version,
      summary.state,
      summary.created_at,
      summary.updated_at,
    );
    this.#sql.run("DELETE FROM services WHERE agent = ?", summary.name);
    for (const service of summary.services) {
      this.#sql.run(
        "INSERT INTO services (agent, name, type, protocols, ontologies) VALUES (?, ?, ?, ?, ?)",
        summary.name,
        service.name,
        service.type ?? null,
        JSON.stringify(service.protocols ?? []),
        JSON.stringify(service.ontologies ?? []),
      );
    }
  }

  /** Forgets an agent and its services. */
  async remove(name: string): Promise<void> {
    this.#sql.run("DELETE FROM services WHERE agent = ?", name);
    this.#sql.run("DELETE FROM agents WHERE name = ?", name);
  }

  /**
   * Directory search: agents with a service matching every given filter (service name, type,
   * protocol, ontology), each with the services that matched.
   */
  async search(filter: DirectoryFilter): Promise<DirectoryEntry[]> {
    const matches = (s: ServiceEntry) =>
      (filter.service === null || s.name === filter.service) &&
      (filter.type === null || s.type === filter.type) &&
      (filter.protocol === null || (s.protocols ?? []).includes(filter.protocol)) &&
      (filter.ontology === null || (s.ontologies ?? []).includes(filter.ontology));
    return (await this.list()).flatMap((agent) => {
      const services = agent.services.filter(matches);
      return services.length > 0 ? [{ name: agent.name, state: agent.state, services }] : [];
    });
  }

  /** Notes that a repository published a profile (the dashboard lists them). */
  async published(entry: PublishedProfile): Promise<void> {
    this.#sql.run(
      "INSERT OR REPLACE INTO published (owner, repo, ref, test_suite, stored_at) VALUES (?, ?, ?, ?, ?)",
      entry.owner,
      entry.repo,
      entry.ref,
      entry.test_suite,
      entry.stored_at,
    );
  }

  /** Every repository ref that published a profile, most recent first. */
  async publishedProfiles(): Promise<PublishedProfile[]> {
    return this.#sql.all<PublishedProfile>(
      "SELECT owner, repo, ref, test_suite, stored_at FROM published ORDER BY stored_at DESC",
    );
  }

  /** Keeps an edge-side run's report (the newest 500 runs are kept). */
  async recordRun(run: StoredRun): Promise<void> {
    this.#sql.run(
      "INSERT OR REPLACE INTO runs (id, agent, suite, started_at, summary, report) VALUES (?, ?, ?, ?, ?, ?)",
      run.id,
      run.agent,
      run.suite,
      run.started_at,
      JSON.stringify(run.summary),
      JSON.stringify(run.report),
    );
    this.#sql.run("DELETE FROM runs WHERE id NOT IN (SELECT id FROM runs ORDER BY started_at DESC LIMIT 500)");
  }

  /** One run, with its full report. */
  async run(id: string): Promise<StoredRun | null> {
    const row = this.#sql.one<RunRow>(
      "SELECT id, agent, suite, started_at, summary, report FROM runs WHERE id = ?",
      id,
    );
    return row
      ? { ...row, summary: JSON.parse(row.summary) as RunSummary, report: JSON.parse(row.report) as RunReport }
      : null;
  }

  /** Runs, newest first, optionally of one agent (summaries only). */
  async runs(agent: string | null): Promise<Omit<StoredRun, "report">[]> {
    const rows =
      agent === null
        ? this.#sql.all<RunRow>(
            "SELECT id, agent, suite, started_at, summary, '' AS report FROM runs ORDER BY started_at DESC LIMIT 100",
          )
        : this.#sql.all<RunRow>(
            "SELECT id, agent, suite, started_at, summary, '' AS report FROM runs WHERE agent = ? ORDER BY started_at DESC LIMIT 100",
            agent,
          );
    return rows.map(({ report: _report, ...row }) => ({ ...row, summary: JSON.parse(row.summary) as RunSummary }));
  }

  /** Keeps an `agtest pair` report (the newest 100 are kept). */
  async recordPair(pair: StoredPair): Promise<void> {
    this.#sql.run(
      "INSERT OR REPLACE INTO pairs (id, stored_at, summary, report) VALUES (?, ?, ?, ?)",
      pair.id,
      pair.stored_at,
      JSON.stringify(pair.summary),
      JSON.stringify(pair.report),
    );
    this.#sql.run("DELETE FROM pairs WHERE id NOT IN (SELECT id FROM pairs ORDER BY stored_at DESC LIMIT 100)");
  }

  /** One pair report, in full. */
  async pair(id: string): Promise<StoredPair | null> {
    const row = this.#sql.one<PairRow>("SELECT id, stored_at, summary, report FROM pairs WHERE id = ?", id);
    return row
      ? { ...row, summary: JSON.parse(row.summary) as PairSummary, report: JSON.parse(row.report) as unknown }
      : null;
  }

  /** Pair reports, newest first (summaries only). */
  async pairs(): Promise<Omit<StoredPair, "report">[]> {
    return this.#sql
      .all<PairRow>("SELECT id, stored_at, summary, '' AS report FROM pairs ORDER BY stored_at DESC LIMIT 100")
      .map(({ report: _report, ...row }) => ({ ...row, summary: JSON.parse(row.summary) as PairSummary }));
  }

  /** Every agent, by name. */
  async list(): Promise<AgentSummary[]> {
    const services = new Map<string, ServiceEntry[]>();
    for (const row of this.#sql.all<ServiceRow>("SELECT agent, name, type, protocols, ontologies FROM services")) {
      const entry: ServiceEntry = {
        name: row.name,
        protocols: JSON.parse(row.protocols) as string[],
        ontologies: JSON.parse(row.ontologies) as string[],
      };
      if (row.type !== null) entry.type = row.type;
      services.set(row.agent, [...(services.get(row.agent) ?? []), entry]);
    }
    return this.#sql
      .all<AgentRow>("SELECT name, version, state, created_at, updated_at FROM agents ORDER BY name")
      .map((row) => ({ ...row, state: row.state as AgentState, services: services.get(row.name) ?? [] }));
  }
}

/** What the list of pair reports shows of each. */
export type PairSummary = { suite: string; agents: string[]; works: number; fails: number; unsupported: number };

/** An `agtest pair` report posted to the runtime (`POST /v1/pairs`), for the dashboard's pairs page. */
export type StoredPair = { id: string; stored_at: string; summary: PairSummary; report: unknown };

type PairRow = { id: string; stored_at: string; summary: string; report: string };
