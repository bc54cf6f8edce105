/**
 * `/metrics` for a worker running on its own (METRICS_PORT): a bare node:http
 * listener, as the worker has no HTTP app. In one process with the server,
 * the server's `/metrics` shows the same registry and this is not started.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsAccess } from '@cronbeat/runtime';
import { register } from 'prom-client';

export interface MetricsServer {
  /** e.g. http://127.0.0.1:9464 */
  address: string;
  close(): Promise<void>;
}

/** Serves `/metrics` on `port`; with `token`, only to requests that carry it as a bearer token (METRICS_TOKEN). */
export async function serveMetrics(port: number, host: string, token: string | null = null): Promise<MetricsServer> {
  const mayRead = metricsAccess(token);
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
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
