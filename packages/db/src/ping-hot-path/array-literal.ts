/**
 * A Postgres array literal (`{"a","b",NULL}`) of `value(row)` for each row,
 * to pass a column of a batch as one text parameter and cast it in SQL
 * (`$1::text::uuid[]`). Postgres reads it with the element type's own input
 * function: no JSON document to parse, and no key repeated for every row.
 */
export function arrayLiteral<Row>(rows: readonly Row[], value: (row: Row) => string | number | null): string {
  let text = '{';
  for (let i = 0; i < rows.length; i++) {
    if (i > 0) text += ',';
    const element = value(rows[i]!);
    if (element === null || element === undefined) text += 'NULL';
    else if (typeof element === 'number') text += String(element);
    else text += `"${escapeElement(element)}"`;
  }
  return `${text}}`;
}

/** Inside a quoted element only `"` and `\` are special, each escaped with a backslash. */
const escapeElement = (value: string): string => (value.includes('"') || value.includes('\\') ? value.replace(/["\\]/g, '\\$&') : value);
