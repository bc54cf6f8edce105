/**
 * Every wait on a client has a deadline: a request whose headers or body
 * stop half-way is cut off within the request timeout, and clients that go
 * away are no error of ours (debug lines, never an error with a stack).
 */
import { connect, type Socket } from 'node:net';
import { loadConfig } from '@cronbeat/config';
import { useTestDatabase } from '@cronbeat/db/testing';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { aCheck } from './ping-fixtures';

/** Short deadlines so the test is quick; Node checks them once a second. */
const TIMEOUTS = { request: 1000, headers: 800 };
/**
 * The deadline, plus up to two of Node's once-a-second checks (a request
 * just short of its deadline at one check is caught at the next), plus
 * slack for a loaded CI machine. Without deadlines these stay open forever.
 */
const CLOSED_WITHIN_MS = TIMEOUTS.request + 2 * 1000 + 1000;

describe('client timeouts', () => {
  const test = useTestDatabase('pglite');
  const lines: Array<{ level: number; msg: string; err?: unknown }> = [];
  let app: FastifyInstance;
  let port: number;
  let pingCode: string;

  beforeAll(async () => {
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    app = await buildApp(loadConfig({ BASE_URL: 'http://cronbeat.test' }), { database: test.database, logger, timeouts: TIMEOUTS });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
    pingCode = (await aCheck(test.db)).check.pingCode;
  });
  afterAll(() => app.close());

  /** Opens a connection, writes `text` and reports what came back and how long until the server closed it. */
  function halfRequest(text: string): Promise<{ answer: string; closedAfterMs: number; socket: Socket }> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const socket = connect({ host: '127.0.0.1', port }, () => socket.write(text));
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        answer += chunk;
      });
      socket.on('error', reject);
      socket.on('close', () => resolve({ answer, closedAfterMs: performance.now() - started, socket }));
    });
  }

  /** Lines at error level or above since this test began. */
  let firstLine = 0;
  beforeEach(() => {
    firstLine = lines.length;
  });
  const errorLines = () => lines.slice(firstLine).filter((line) => line.level >= 50);

  it('closes a ping whose body stops half-way, answering 408, and logs no error', async () => {
    const { answer, closedAfterMs } = await halfRequest(
      `POST /ping/${pingCode} HTTP/1.1\r\nHost: cronbeat.test\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nhalf of the log`,
    );
    expect(closedAfterMs).toBeLessThan(CLOSED_WITHIN_MS);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer.toLowerCase()).toContain('x-content-type-options: nosniff');
    expect(errorLines()).toEqual([]);
  });

  it('closes an API request whose JSON body stops half-way', async () => {
    const { answer, closedAfterMs } = await halfRequest(
      'POST /auth/login HTTP/1.1\r\nHost: cronbeat.test\r\nOrigin: http://cronbeat.test\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"email":',
    );
    expect(closedAfterMs).toBeLessThan(CLOSED_WITHIN_MS);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(errorLines()).toEqual([]);
  });

  it('closes a connection whose headers never end', async () => {
    const { closedAfterMs } = await halfRequest(`GET /ping/${pingCode} HTTP/1.1\r\nHost: cronbeat.test\r\nX-Slow: `);
    expect(closedAfterMs).toBeLessThan(CLOSED_WITHIN_MS);
    expect(errorLines()).toEqual([]);
  });

  it('closes 100 half-sent pings at once within the deadline', async () => {
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        halfRequest(`POST /ping/${pingCode} HTTP/1.1\r\nHost: cronbeat.test\r\nContent-Length: 500\r\n\r\nstarted`),
      ),
    );
    const slowest = Math.max(...results.map((result) => result.closedAfterMs));
    console.log(
      `timeouts: 100 half-sent pings all closed, the last after ${Math.round(slowest)} ms (request deadline ${TIMEOUTS.request} ms)`,
    );
    expect(slowest).toBeLessThan(CLOSED_WITHIN_MS);
    expect(performance.now() - started).toBeLessThan(CLOSED_WITHIN_MS + 1000);
    expect(errorLines()).toEqual([]);
  });

  it('logs a client that aborts mid-body at debug, not as an error', async () => {
    const before = lines.length;
    for (const url of [`/ping/${pingCode}`, '/auth/login']) {
      await new Promise<void>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port }, () => {
          socket.write(`POST ${url} HTTP/1.1\r\nHost: cronbeat.test\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a`);
          // Give the server time to start reading the body, then vanish.
          setTimeout(() => socket.destroy(), 100);
        });
        socket.on('close', () => resolve());
      });
    }
    // The server notices the reset on its next turn; wait until it has said something, or a while.
    await expect.poll(() => lines.length > before, { timeout: 2000 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(errorLines()).toEqual([]);
    expect(lines.slice(before).every((line) => line.level <= 20)).toBe(true);
  });

  it('still answers a whole ping on time', async () => {
    const { answer } = await halfRequest(`GET /ping/${pingCode} HTTP/1.1\r\nHost: cronbeat.test\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer.endsWith('OK')).toBe(true);
  });
});
