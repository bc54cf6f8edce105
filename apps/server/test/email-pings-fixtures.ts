/** A server started as `start` starts it, with email pings on, and what the email-pings suites need to use it. */
import { loadConfig } from '@cronbeat/config';
import type { Database } from '@cronbeat/db';
import { freePort } from '@cronbeat/runtime/testing';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll } from 'vitest';
import { type RunningServer, start } from '../src';
import { TEST_PASSWORD_COST } from '../src/testing';
import { BASE_URL, type Person, signUp } from './api-fixtures';

export const DOMAIN = 'pings.cronbeat.test';

/** Starts the HTTP server and the SMTP listener (on free ports) before the suite, and closes both after. */
export function useMailServer(database: () => Database, env: Record<string, string> = {}) {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      BASE_URL,
      PORT: String(await freePort()),
      EMAIL_PINGS_PORT: '0',
      EMAIL_PINGS_DOMAIN: DOMAIN,
      ...env,
    });
    server = await start(config, {
      database: database(),
      rateLimits: { signInPerMinute: 1000, apiPerMinute: 10_000 },
      passwordCost: TEST_PASSWORD_COST,
    });
  });
  afterAll(async () => {
    await server?.close();
  });
  const running = () => {
    if (!server) throw new Error('the server starts in beforeAll');
    return server;
  };
  return {
    get server() {
      return running();
    },
    /** A nodemailer transport to the listener: plain SMTP, as a NAS or a mail server delivering to an MX would speak. */
    transport() {
      return nodemailer.createTransport({
        host: '127.0.0.1',
        port: running().emailPings!.port,
        secure: false,
        ignoreTLS: true,
        connectionTimeout: 5000,
        greetingTimeout: 5000,
        socketTimeout: 10_000,
      });
    },
    /** A person with a check made through the API; its id, ping code and email address. */
    async aCheck(fields: Record<string, unknown> = {}) {
      const app = running().app;
      const owner = await signUp(app);
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/checks',
        headers: owner.headers,
        payload: { name: 'nas backup', ...fields },
      });
      if (created.statusCode !== 201) throw new Error(`check not created: ${created.body}`);
      const check = created.json() as { id: string; pingCode: string; pingEmail?: string; slug: string | null };
      return { owner, check };
    },
  };
}

export interface ApiPing {
  n: number;
  kind: string;
  method: string;
  scheme: string;
  remoteAddr: string | null;
  userAgent: string | null;
  bodySize: number;
  keyword: string | null;
}

/** The check's pings, newest first, read over real HTTP as a client of the API would. */
export async function pingsOf(server: RunningServer, owner: Person, checkId: string): Promise<ApiPing[]> {
  const response = await fetch(`${server.address}/api/v1/checks/${checkId}/pings`, { headers: owner.headers });
  if (!response.ok) throw new Error(`pings: ${response.status}`);
  return ((await response.json()) as { pings: ApiPing[] }).pings;
}

/** The stored body of ping `n`, as text. */
export async function bodyOf(server: RunningServer, owner: Person, checkId: string, n: number): Promise<string> {
  const response = await fetch(`${server.address}/api/v1/checks/${checkId}/pings/${n}/body`, { headers: owner.headers });
  return response.text();
}

/** The check as the API shows it. */
export async function checkOf(server: RunningServer, owner: Person, checkId: string) {
  const response = await fetch(`${server.address}/api/v1/checks/${checkId}`, { headers: owner.headers });
  return (await response.json()) as { status: string; running: boolean; nPings: number; pingEmail?: string };
}

/** What nodemailer rejects with when the server refuses: the SMTP reply code and the command it answered. */
export interface SmtpRefusal {
  responseCode: number;
  command: string;
  response: string;
}
