/** A bindable SQLite value. */
export type SqlValue = string | number | ArrayBuffer | null;

/** Raised when a query fails; carries the query so the log says which one. */
export class SqlError extends Error {
  override readonly name = "SqlError";
  constructor(
    readonly query: string,
    cause: unknown,
  ) {
    super(`${cause instanceof Error ? cause.message : String(cause)} (in: ${query})`, { cause });
  }
}

/**
 * A typed helper over a Durable Object's SQLite storage. Every value is bound as a parameter;
 * SQL is never built from strings.
 */
export function sqlOf(storage: DurableObjectStorage) {
  function all<Row extends Record<string, SqlValue>>(query: string, ...params: SqlValue[]): Row[] {
    try {
      return storage.sql.exec<Row>(query, ...params).toArray();
    } catch (err) {
      throw new SqlError(query, err);
    }
  }
  return {
    all,
    one<Row extends Record<string, SqlValue>>(query: string, ...params: SqlValue[]): Row | undefined {
      return all<Row>(query, ...params)[0];
    },
    run(query: string, ...params: SqlValue[]): void {
      all(query, ...params);
    },
  };
}

/** The helper's type. */
export type Sql = ReturnType<typeof sqlOf>;

/**
 * Brings a Durable Object's tables to the schema version `migrations.length`: the version stored in
 * `meta` (`schema_version`, 0 when absent) says which steps already ran; step `i` moves storage from
 * version `i` to `i + 1`. Storage written by a newer version of the code is refused, not rewritten.
 */
export function migrate(sql: Sql, migrations: readonly ((sql: Sql) => void)[]): void {
  sql.run("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  const stored = Number(sql.one<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'")?.value ?? 0);
  if (!Number.isInteger(stored) || stored > migrations.length)
    throw new Error(`storage is at schema version ${stored}; this code knows versions up to ${migrations.length}`);
  if (stored === migrations.length) return;
  for (const step of migrations.slice(stored)) step(sql);
  sql.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", String(migrations.length));
}
