/**
 * A Postgres array literal (`{"a","b",NULL}`) of `values`, to pass a column
 * of a batch as one text parameter and cast it in SQL (`$1::text::uuid[]`).
 * Postgres reads it with the element type's own input function: no JSON
 * document to parse, and no key repeated for every row.
 */
export function arrayLiteral(values: ReadonlyArray<string | number | null>): string {
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) text += ',';
    const value = values[i];
    if (value === null || value === undefined) text += 'NULL';
    else if (typeof value === 'number') text += String(value);
    else text += `"${escapeElement(value)}"`;
  }
  return `${text}}`;
}

/** Inside a quoted element only `"` and `\` are special, each escaped with a backslash. */
const escapeElement = (value: string): string => (value.includes('"') || value.includes('\\') ? value.replace(/["\\]/g, '\\$&') : value);
