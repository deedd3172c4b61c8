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
