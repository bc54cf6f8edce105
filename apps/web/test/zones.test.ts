import { describe, expect, it } from 'vitest';
import { timeZones } from '../src/schedule';
import { canonicalZone, suggestZones, zoneProblem } from '../src/zones';

const ZONES = timeZones();

describe('time zones as typed', () => {
  it('accepts what the server accepts, in its canonical spelling', () => {
    expect(canonicalZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalZone('utc')).toBe('UTC');
    expect(zoneProblem('America/New_York', ZONES)).toBeUndefined();
  });

  it('refuses what is no zone, and says so in words', () => {
    expect(canonicalZone('Mars/Olympus')).toBeNull();
    expect(zoneProblem('Mars/Olympus', ZONES)?.error).toBe('"Mars/Olympus" is not a time zone.');
    expect(zoneProblem('  ', ZONES)?.error).toBe('Enter a time zone, e.g. Europe/Berlin or UTC.');
  });

  it('suggests the zone a city, a spelling with spaces or a typo most likely means', () => {
    expect(suggestZones('berlin', ZONES)[0]).toBe('Europe/Berlin');
    expect(suggestZones('America/New York', ZONES)[0]).toBe('America/New_York');
    expect(suggestZones('Europe/Berln', ZONES)[0]).toBe('Europe/Berlin');
    expect(suggestZones('Australia/Sidney', ZONES)[0]).toBe('Australia/Sydney');
    expect(suggestZones('america', ZONES).length).toBe(5);
  });

  it('suggests nothing for a name that is close to no zone', () => {
    expect(suggestZones('qqqqqqqqqqqq', ZONES)).toEqual([]);
    expect(suggestZones('', ZONES)).toEqual([]);
  });
});
