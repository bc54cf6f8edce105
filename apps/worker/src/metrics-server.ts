/**
 * The HTTP port of a worker running on its own (METRICS_PORT): a bare
 * node:http listener, as the worker has no HTTP app. `/metrics` for
 * Prometheus; `/healthz` (the process answers) and `/readyz` (it does its
 * work: 503 while it cannot sweep, e.g. while its Redis is away) for
 * orchestrators and the container health check. In one process with the
 * server, the server's `/metrics` shows the same registry and this is not
 * started.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsAccess } from '@cronbeat/runtime';
import { register } from 'prom-client';

export interface MetricsServer {
  /** e.g. http://127.0.0.1:9464 */
  address: string;
  close(): Promise<void>;
}

/** What `/readyz` answers: 200 when `ready`, else 503, with the whole object as the JSON body. */
export type Readiness = () => { ready: boolean };

const sendJson = (response: ServerResponse, status: number, body: unknown) =>
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));

/**
 * Serves `/metrics` on `port`; with `token`, only to requests that carry it as
 * a bearer token (METRICS_TOKEN). With `readiness`, also `/healthz` and
 * `/readyz`, which need no token: they say nothing but whether the worker works.
 */
export async function serveMetrics(
  port: number,
  host: string,
  token: string | null = null,
  readiness: Readiness | null = null,
): Promise<MetricsServer> {
  const mayRead = metricsAccess(token);
  const server = createServer((request, response) => {
    const path = request.url?.split('?')[0];
    if (request.method === 'GET' && readiness && path === '/healthz') return sendJson(response, 200, { status: 'ok' });
    if (request.method === 'GET' && readiness && path === '/readyz') {
      const { ready, ...rest } = readiness();
      return sendJson(response, ready ? 200 : 503, { status: ready ? 'ok' : 'unavailable', ...rest });
    }
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (!mayRead(request.headers.authorization)) {
      response.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('unauthorized');
      return;
    }
    register.metrics().then(
      (text) => response.writeHead(200, { 'content-type': register.contentType }).end(text),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    address: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
