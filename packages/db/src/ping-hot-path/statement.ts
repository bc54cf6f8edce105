/**
 * Statements rendered once. The ping path runs a handful of statements for
 * every batch, and building their SQL text anew each time (drizzle's
 * template objects, then the text) cost the server more per batch than
 * binding the values does. So their text is rendered when the module loads,
 * from drizzle templates with named placeholders, and a run only binds values.
 */
import { is, Placeholder, type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { arrayLiteral } from './array-literal';

/** SQL text and the values of its `$n` parameters, as a driver takes them. */
export interface Statement {
  readonly text: string;
  readonly params: readonly unknown[];
}

/**
 * Renders `query`, whose every parameter is a `sql.placeholder(name)`, and
 * returns a binder: values by placeholder name in, a `Statement` out.
 */
export function prepareStatement<Values extends Record<string, unknown>>(query: SQL): (values: Values) => Statement {
  const { sql: text, params } = new PgDialect().sqlToQuery(query);
  const names = params.map((param) => {
    if (!is(param, Placeholder)) throw new Error(`a prepared statement takes placeholders only, not the value ${String(param)}`);
    return param.name;
  });
  return (values) => ({
    text,
    params: names.map((name) => {
      const value = values[name];
      if (value === undefined) throw new Error(`no value for placeholder ${name}`);
      return value;
    }),
  });
}

type Cell = string | number | null;

/** The columns of a batch: name → [Postgres element type, the cell of a row]. */
export type BatchColumns<Row> = Record<string, readonly [type: string, cell: (row: Row) => Cell]>;

/**
 * A batch of rows passed as one array literal per column (`$1::text::uuid[]`,
 * see `arrayLiteral`) and turned back into rows in SQL by `unnest`, so the
 * statement's text is the same whatever the batch size.
 */
export interface BatchParameter<Row> {
  /** `unnest($1::text::uuid[], …) as <alias>(<columns>)`, for a FROM clause. */
  readonly sql: SQL;
  /** The placeholders' values for these rows. */
  bind(rows: readonly Row[]): Record<string, string>;
}

export function batchParameter<Row>(alias: string, columns: BatchColumns<Row>): BatchParameter<Row> {
  const entries = Object.entries(columns).map(([name, [type, cell]]) => ({ name, type, cell, placeholder: `${alias}.${name}` }));
  const arrays = entries.map(({ type, placeholder }) => sql`${sql.placeholder(placeholder)}::text::${sql.raw(type)}[]`);
  return {
    sql: sql`unnest(${sql.join(arrays, sql`, `)}) as ${sql.raw(alias)}(${sql.raw(entries.map((e) => e.name).join(', '))})`,
    bind(rows) {
      const values: Record<string, string> = {};
      for (const { placeholder, cell } of entries) values[placeholder] = arrayLiteral(rows, cell);
      return values;
    },
  };
}
