// The analysis database as the rest of the consumer sees it: parameterised SQL, transactions and
// notifications. Two implementations with one dialect (PostgreSQL): the embedded default (PGlite,
// Postgres compiled to WASM, in FEEDPULSE_DATA/db) and a PostgreSQL server (FEEDPULSE_DATABASE_URL).
// Every query is written once and runs on both.

/** Something SQL can be sent to: the database itself, or one open transaction. */
export interface Queryable {
  /** Rows of `sql` with `$1…$n` bound to `params`. int8 and numeric columns come back as numbers. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'embedded' | 'postgres';
  /** For logs and the dashboard: the data folder, or the server URL without its password. */
  readonly description: string;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` for every NOTIFY on `channel` (from this process or, on PostgreSQL, any
   * process using the same database). Resolves once listening; the result stops it.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
