/**
 * Sentry's envelope format (develop.sentry.dev, "Envelopes"): a JSON header
 * line, then items, each a JSON header line and a payload. A payload is
 * `length` bytes when its header says so (then a newline, or the end),
 * else the rest of its line. Only check-ins are read; what else an SDK
 * sends (errors, sessions, transactions, client reports) is skipped unread.
 */

/** An envelope this parser cannot read; the message is the 400's. */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

export interface EnvelopeItem {
  /** The item's `type` (`check_in`, `event`, `session`, …). */
  type: string;
  payload: Buffer;
}

export interface Envelope {
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

const NEWLINE = 0x0a;

/** Most items one envelope may hold: SDKs send a handful; this bounds the work a request can ask for. */
const MAX_ITEMS = 1000;

export function parseEnvelope(body: Buffer): Envelope {
  let offset = 0;
  /** The next line (without its newline), moving past it. */
  const line = (): Buffer => {
    const end = body.indexOf(NEWLINE, offset);
    const stop = end === -1 ? body.length : end;
    const text = body.subarray(offset, stop);
    offset = stop + 1;
    return text;
  };
  const header = jsonObject(line(), 'envelope header');
  const items: EnvelopeItem[] = [];
  while (offset < body.length) {
    const headerLine = line();
    // SDKs may end an envelope with a newline, and some put an empty line between items.
    if (headerLine.length === 0) continue;
    if (items.length === MAX_ITEMS) throw new EnvelopeError(`an envelope may hold at most ${MAX_ITEMS} items`);
    const itemHeader = jsonObject(headerLine, `header of item ${items.length + 1}`);
    const type = itemHeader.type;
    if (typeof type !== 'string' || type === '') throw new EnvelopeError(`item ${items.length + 1} has no type in its header`);
    const { length } = itemHeader;
    let payload: Buffer;
    if (length === undefined || length === null) {
      payload = line();
    } else {
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
        throw new EnvelopeError(`item ${items.length + 1}: length must be a whole number of bytes, got ${JSON.stringify(length)}`);
      }
      if (offset + length > body.length) {
        throw new EnvelopeError(`item ${items.length + 1} says it is ${length} bytes long, but the envelope ends before that`);
      }
      payload = body.subarray(offset, offset + length);
      offset += length;
      if (offset < body.length && body[offset] !== NEWLINE) {
        throw new EnvelopeError(`item ${items.length + 1}: a newline must follow its ${length} bytes`);
      }
      offset += 1;
    }
    items.push({ type, payload });
  }
  return { header, items };
}

/** A line of JSON that must be an object, such as every header. */
export function jsonObject(text: Buffer, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text.toString('utf8'));
  } catch {
    throw new EnvelopeError(`${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EnvelopeError(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}
