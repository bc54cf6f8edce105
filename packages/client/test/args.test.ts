import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CONNECTION_OPTIONS, millisecondsOption, splitAtDoubleDash, UsageError, usageErrors } from '../src/cli/args';
import { parsePingKind } from '../src/cli/ping';
import { formatDuration, parseDuration } from '../src/duration';
import { pingUrl } from '../src/ping';

describe('command-line parsing', () => {
  it('leaves everything after -- to the command, its own flags included', () => {
    expect(splitAtDoubleDash(['backup', '--timeout', '5s', '--', 'tar', '--create', '--', 'x'])).toEqual({
      ours: ['backup', '--timeout', '5s'],
      command: ['tar', '--create', '--', 'x'],
    });
    expect(splitAtDoubleDash(['backup'])).toEqual({ ours: ['backup'], command: [] });
  });

  it('turns unknown options into usage errors', () => {
    const parse = (args: string[]) => usageErrors(() => parseArgs({ args, options: CONNECTION_OPTIONS, allowPositionals: true }));
    expect(() => parse(['--nope'])).toThrow(UsageError);
    expect(parse(['x', '--url', 'http://h']).values.url).toBe('http://h');
  });

  it('reads durations in seconds and timeouts in milliseconds', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('2d')).toBe(172_800);
    expect(millisecondsOption('500ms', 0, 'timeout')).toBe(500);
    expect(millisecondsOption(undefined, 10_000, 'timeout')).toBe(10_000);
    expect(() => millisecondsOption('soon', 0, 'timeout')).toThrow('--timeout: invalid duration "soon"');
    expect(formatDuration(86_400)).toBe('1d');
    expect(formatDuration(90)).toBe('90s');
  });

  it('accepts the ping kinds and exit statuses 0–255 only', () => {
    expect(parsePingKind(undefined)).toBe('success');
    expect(parsePingKind('log')).toBe('log');
    expect(parsePingKind('255')).toBe(255);
    expect(() => parsePingKind('256')).toThrow(UsageError);
    expect(() => parsePingKind('done')).toThrow(UsageError);
  });
});

describe('ping URLs', () => {
  const uuid = '0b7a4c58-3f51-4a55-9d8e-3c3c8e0c2f11';
  it('builds every form from a uuid, a ping-key/slug or a bare slug with the ping key', () => {
    expect(pingUrl(uuid, 'success', { url: 'https://cb.test' })).toBe(`https://cb.test/ping/${uuid}`);
    expect(pingUrl(uuid, 3, { url: 'https://cb.test', rid: uuid })).toBe(`https://cb.test/ping/${uuid}/3?rid=${uuid}`);
    expect(pingUrl('key/backup', 'start', { url: 'https://cb.test' })).toBe('https://cb.test/ping/key/backup/start');
    expect(pingUrl('backup', 'fail', { url: 'https://cb.test', pingKey: 'k', create: true })).toBe(
      'https://cb.test/ping/k/backup/fail?create=1',
    );
  });

  it('refuses a bare slug without a ping key and an exit status out of range', () => {
    expect(() => pingUrl('backup', 'success', { url: 'https://cb.test', pingKey: '' })).toThrow(/CRONBEAT_PING_KEY is not set/);
    expect(() => pingUrl(uuid, 256, { url: 'https://cb.test' })).toThrow(/0 to 255/);
  });
});
