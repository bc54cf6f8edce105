/**
 * Text for one SMS segment. A message in the GSM 03.38 alphabet (GSM-7)
 * fits 160 characters in one segment; a single character outside it makes
 * the whole message UCS-2, 70 characters a segment
 * (https://www.twilio.com/docs/glossary/what-is-gsm-7-character-encoding).
 * So text is made GSM-7 first (accents dropped where the alphabet lacks
 * them, typographic marks made plain, the rest `?`) and then cut to fit,
 * with `...`: the one-character `…` is not GSM-7. Pure.
 */

/** GSM 03.38's basic alphabet, one septet each (ESC left out: it starts an extension). */
const BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** Its extension table: two septets each (ESC and the character). */
const EXTENSION = new Set('^{}\\[~]|€');

const PLAIN: Record<string, string> = {
  '…': '...',
  '–': '-',
  '—': '-',
  '‘': "'",
  '’': "'",
  '‚': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '\t': ' ',
  '\u00a0': ' ',
};

/** Septets one character takes; null when GSM-7 lacks it. */
const septets = (character: string): number | null => (BASIC.has(character) ? 1 : EXTENSION.has(character) ? 2 : null);

/** `text` in GSM-7's alphabet: `Zürich` stays, `Kraków` becomes `Krakow`, `—` `-`, an emoji `?`. */
export function toGsm(text: string): string {
  let result = '';
  for (const character of text) {
    if (septets(character) !== null) result += character;
    else if (PLAIN[character] !== undefined) result += PLAIN[character];
    else {
      const bare = character.normalize('NFD').replace(/\p{M}/gu, '');
      result += [...bare].every((each) => septets(each) !== null) && bare !== '' ? bare : '?';
    }
  }
  return result;
}

/** Septets `text` (already GSM-7) takes. */
export const gsmLength = (text: string): number => [...text].reduce((sum, character) => sum + (septets(character) ?? 1), 0);

/** GSM-7 `text` in at most `max` septets, ending in `...` when cut. */
export function clipGsm(text: string, max: number): string {
  if (gsmLength(text) <= max) return text;
  let kept = '';
  let used = 0;
  for (const character of text) {
    const size = septets(character) ?? 1;
    if (used + size > max - 3) break;
    kept += character;
    used += size;
  }
  return `${kept.trimEnd()}...`;
}
