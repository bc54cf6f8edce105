/** The worker's one view of Redis: what it logs, when it says Redis is back, and the deadline on Redis calls. */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isConnectionError, RedisLink, RedisTimeout, withDeadline } from '../src/redis-link';

/** A link whose log lines are kept, parsed, in `lines`. */
function linkWithLog() {
  const lines: Array<{ level: number; msg: string; [field: string]: unknown }> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { link: new RedisLink(logger), lines };
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), { code: 'ECONNREFUSED' });

describe('RedisLink', () => {
  it('says "Redis unreachable" once however many connections fail, and once that it is back', () => {
    const { link, lines } = linkWithLog();
    expect(link.state).toBe('connecting');
    link.markUp();
    expect(link.reachable).toBe(true);
    for (let i = 0; i < 300; i++) link.report(refused(), i % 2 ? 'connection' : 'deliver');
    link.report(new Error('Connection is closed.'), 'sweep');
    link.report(new Error('NOSCRIPT while away'), 'sweep');
    expect(link.state).toBe('down');
    const warnings = lines.filter((line) => line.level >= 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toMatch(/^Redis unreachable/);
    expect(warnings[0]?.reason).toBe('connect ECONNREFUSED 127.0.0.1:6390');

    let recovered = 0;
    link.onRecovered(() => recovered++);
    link.markUp();
    link.markUp(); // a second connection getting ready is no second recovery
    expect(recovered).toBe(1);
    const back = lines.filter((line) => line.msg === 'Redis reachable again');
    expect(back).toHaveLength(1);
    expect(back[0]?.errorEvents).toBe(301);
    expect(lines.filter((line) => line.level >= 40)).toHaveLength(1);
  });

  it('logs each outage, not only the first', () => {
    const { link, lines } = linkWithLog();
    for (let outage = 0; outage < 3; outage++) {
      link.markUp();
      link.report(refused(), 'connection');
      link.markDown(new Error('connection closed'));
    }
    expect(lines.filter((line) => line.msg.startsWith('Redis unreachable'))).toHaveLength(3);
    expect(lines.filter((line) => line.msg === 'Redis reachable again')).toHaveLength(2);
  });

  it('logs an error that is not a lost connection as an error, the same one at most once a minute', () => {
    const { link, lines } = linkWithLog();
    link.markUp();
    for (let i = 0; i < 50; i++) link.report(new Error('WRONGPASS invalid username-password pair'), 'connection');
    link.report(new Error('Missing lock for job 7'), 'deliver');
    expect(link.state).toBe('up');
    const errors = lines.filter((line) => line.level === 50);
    expect(errors.map((line) => (line.err as { message: string }).message)).toEqual([
      'WRONGPASS invalid username-password pair',
      'Missing lock for job 7',
    ]);
  });

  it('tells a lost connection from a refused command', () => {
    expect(isConnectionError(refused())).toBe(true);
    expect(isConnectionError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isConnectionError(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(true);
    expect(isConnectionError(new AggregateError([new Error('x'), refused()]))).toBe(true);
    expect(isConnectionError(new Error('ERR unknown command'))).toBe(false);
    expect(isConnectionError('ECONNREFUSED')).toBe(false);
  });
});

describe('withDeadline', () => {
  it('answers what the call answers in time', async () => {
    await expect(withDeadline(Promise.resolve(7), 1000, 'test')).resolves.toBe(7);
    await expect(withDeadline(Promise.reject(new Error('refused')), 1000, 'test')).rejects.toThrow('refused');
  });

  it('gives up after the deadline with a RedisTimeout, and a late failure of the call is no unhandled rejection', async () => {
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error('too late')), 150));
    const started = Date.now();
    const outcome = await withDeadline(late, 50, 'adding deliver jobs').catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(RedisTimeout);
    expect((outcome as Error).message).toBe('Redis did not answer within 50 ms (adding deliver jobs)');
    expect(Date.now() - started).toBeLessThan(140);
    await new Promise((resolve) => setTimeout(resolve, 150));
  });
});
