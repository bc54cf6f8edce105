import { isUuid, slugProblem } from '@cronbeat/contract';
import type { CheckRef } from '@cronbeat/db';

/** The check a recipient address names, as a ping URL names it: by ping code, or by slug and the project's ping key. */
export type MailTarget = CheckRef;

/** Why a recipient is refused at `RCPT TO`, each answered 550 with its own words. */
export type RecipientRefusal = 'other-domain' | 'malformed';

/** A ping key: URL-safe base64 as projects make them (22 characters); whether one exists is the database's to say. */
const PING_KEY = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Reads a recipient of a ping mail: `<ping-code>@<domain>`, or
 * `<slug>+<ping-key>@<domain>` (a slug never holds `+`, so the last one
 * splits them). The domain compares without case, as mail domains do; the
 * ping key keeps its case, as it does in a URL. Mail to any other domain is
 * refused, so the listener never relays.
 */
export function readRecipient(address: string, domain: string): MailTarget | RecipientRefusal {
  const at = address.lastIndexOf('@');
  if (at <= 0) return 'malformed';
  if (address.slice(at + 1).toLowerCase() !== domain) return 'other-domain';
  const local = address.slice(0, at);
  if (isUuid(local)) return { pingCode: local.toLowerCase() };
  const plus = local.lastIndexOf('+');
  if (plus <= 0) return 'malformed';
  const slug = local.slice(0, plus);
  const pingKey = local.slice(plus + 1);
  if (!PING_KEY.test(pingKey) || slugProblem(slug) !== null) return 'malformed';
  return { slug: { pingKey, slug } };
}

/** One key per check address, so a mail naming the same address twice pings once. */
export const targetKey = (target: MailTarget): string =>
  'pingCode' in target ? `code:${target.pingCode}` : `slug:${target.slug.pingKey}/${target.slug.slug}`;
