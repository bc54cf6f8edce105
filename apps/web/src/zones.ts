/**
 * Time zones as people type them: checked against the same rule as the server
 * (the runtime's IANA database through Intl), and when a name is unknown, the
 * zones they probably meant ("berlin" → Europe/Berlin, "America/New York" →
 * America/New_York, "Europe/Berln" → Europe/Berlin). Edit distance comes from
 * fastest-levenshtein; the ranking is ours, as no library ranks zone names.
 */
import { canonicalZone } from '@cronbeat/contract';
import { distance } from 'fastest-levenshtein';

/** At most this many suggestions are offered. */
const MAX_SUGGESTIONS = 5;

/** The server's rule: the runtime's canonical name ("utc" → "UTC"), or null when it knows no such zone. */
export { canonicalZone };

/** How a name is compared: case, spaces and hyphens do not matter. */
const folded = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** The zones of `zones` that `text` most likely means, best first; empty when nothing is close. */
export function suggestZones(text: string, zones: readonly string[]): string[] {
  const wanted = folded(text);
  if (wanted === '') return [];
  const scored: Array<{ zone: string; score: number }> = [];
  for (const zone of zones) {
    const name = folded(zone);
    const city = name.slice(name.lastIndexOf('/') + 1);
    let score: number;
    if (name === wanted) score = 0;
    else if (city === wanted || city.startsWith(wanted)) score = 1;
    else if (name.includes(wanted)) score = 2;
    else {
      // A typo: close to the whole name or to the city alone.
      const typos = Math.min(distance(wanted, name), distance(wanted, city));
      if (typos > Math.max(2, Math.floor(wanted.length / 4))) continue;
      score = 3 + typos;
    }
    scored.push({ zone, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.zone.localeCompare(b.zone))
    .slice(0, MAX_SUGGESTIONS)
    .map((entry) => entry.zone);
}

/** What is wrong with a typed zone, with what it may have meant; undefined when it is a zone. */
export function zoneProblem(text: string, zones: readonly string[]): { error: string; suggestions: string[] } | undefined {
  if (canonicalZone(text)) return undefined;
  const error = text.trim() === '' ? 'Enter a time zone, e.g. Europe/Berlin or UTC.' : `"${text.trim()}" is not a time zone.`;
  return { error, suggestions: suggestZones(text, zones) };
}
