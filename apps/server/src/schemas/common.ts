/**
 * The server's side of the contract (`@cronbeat/contract` holds the shapes):
 * how stored values become the API's text, and what Ajv may accept as a date.
 */

export const iso = (date: Date): string => date.toISOString();
export const isoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** The earliest and latest instants a request may name: Postgres has no year 0, and a year past 9999 is no schedule's. */
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

type StringFormat = ((text: string) => boolean) | { validate: (text: string) => boolean };
interface FormatRegistry {
  formats: Record<string, unknown>;
  addFormat(name: string, format: StringFormat & object): unknown;
}

/**
 * Ajv's `onCreate`: narrows the `date-time` format of every request schema
 * to what the handlers can use. RFC 3339 (checked by ajv-formats, as
 * before) also allows a leap second, which a JavaScript Date cannot hold,
 * and years Postgres refuses (0000); both passed validation and ended in a
 * 500. Now each is a 400 naming the field. Responses are not validated, so
 * this only concerns input.
 */
export function storableDateTimes(ajv: FormatRegistry): void {
  const rfc3339 = ajv.formats['date-time'] as StringFormat | undefined;
  if (!rfc3339) throw new Error('ajv-formats is not loaded: no date-time format to narrow');
  const isRfc3339 = typeof rfc3339 === 'function' ? rfc3339 : rfc3339.validate;
  const validate = (text: string) => {
    if (!isRfc3339(text)) return false;
    const instant = Date.parse(text);
    return instant >= FIRST_INSTANT && instant <= LAST_INSTANT;
  };
  ajv.addFormat('date-time', typeof rfc3339 === 'function' ? validate : { ...rfc3339, validate });
}
