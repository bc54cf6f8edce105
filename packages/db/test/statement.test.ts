import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { batchParameter, prepareStatement, runStatement } from '../src';
import { testDatabaseKinds, useTestDatabase } from '../src/testing';

interface Row {
  id: number;
  name: string | null;
  at: number | null;
}

const rows = batchParameter<Row>('r', {
  id: ['integer', (row) => row.id],
  name: ['text', (row) => row.name],
  at: ['float8', (row) => row.at],
});

const echo = prepareStatement<Record<string, string>>(
  sql`select id, name, to_timestamp(at / 1000) as at, ${sql.placeholder('tag')}::text as tag from ${rows.sql} order by id`,
);

describe('prepareStatement', () => {
  it('renders the text once, numbering placeholders in order, and binds values by name', () => {
    const statement = echo({ ...rows.bind([]), tag: 'x' });
    expect(statement.text).toContain('$1::text as tag');
    expect(statement.text).toContain('unnest($2::text::integer[], $3::text::text[], $4::text::float8[]) as r(id, name, at)');
    expect(statement.params).toEqual(['x', '{}', '{}', '{}']);
  });

  it('refuses a template holding a value instead of a placeholder', () => {
    expect(() => prepareStatement(sql`select ${'literal'}::text`)).toThrow(/placeholders only/);
  });

  it('refuses to bind when a placeholder has no value', () => {
    expect(() => echo(rows.bind([]))).toThrow(/no value for placeholder tag/);
  });
});

describe.each(testDatabaseKinds())('statements on %s', (kind) => {
  const test = useTestDatabase(kind);

  it('passes a batch through unnest intact: quotes, backslashes, braces, NULL as text and real NULLs', async () => {
    const batch: Row[] = [
      { id: 1, name: 'plain', at: 1_700_000_000_345 },
      { id: 2, name: 'say "hi" \\ {a,b}', at: null },
      { id: 3, name: null, at: 0 },
      { id: 4, name: 'NULL', at: 1_700_000_000_001 },
      { id: 5, name: '', at: -1000 },
    ];
    const result = await runStatement<{ id: number; name: string | null; at: Date | string | null; tag: string }>(
      test.database,
      echo({ ...rows.bind(batch), tag: 'tagged' }),
    );
    expect(result.map((row) => ({ ...row, at: row.at === null ? null : new Date(row.at).getTime() }))).toEqual(
      batch.map((row) => ({ ...row, tag: 'tagged' })),
    );
  });

  it('passes an empty batch as no rows', async () => {
    expect(await runStatement(test.database, echo({ ...rows.bind([]), tag: 'x' }))).toEqual([]);
  });
});
