import type { IncomingMessage } from 'node:http';

/**
 * First path segments the ping host still serves as on any host: the
 * `/ping/` forms themselves, Cronitor's `/p/` form, and health and metrics,
 * which load balancers and Prometheus ask for by whatever name they know
 * the server by. None can be a ping code (a UUID) or a ping key (22
 * characters), so no ping URL is shadowed.
 */
const SERVED_AS_EVERYWHERE = new Set(['ping', 'p', 'healthz', 'readyz', 'metrics']);

/** The host name of a `Host` header, lower case, without port or trailing dot; `[::1]:3000` gives `[::1]`. */
export function hostName(header: string | undefined): string | null {
  if (!header) return null;
  const host = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.split(':', 1)[0]!;
  return host.toLowerCase().replace(/\.$/, '');
}

/**
 * Fastify's `rewriteUrl` for a dedicated ping host (`pingHost` in the
 * configuration, e.g. ping.example.com): a request for that host is served
 * the ping forms at the root, `/<uuid>/start` as `/ping/<uuid>/start`, as
 * hc-ping.com serves Healthchecks' `/ping/` URLs. A rewrite rather than a
 * second set of routes, so the root forms are the `/ping/` routes
 * themselves: the same handler, answers, CORS and 404s. Other hosts are
 * left alone and keep the dashboard at the root; so is everything when no
 * ping host is configured (null).
 */
export function pingHostRewrite(pingHost: string | null): ((request: IncomingMessage) => string) | null {
  if (pingHost === null) return null;
  return (request) => {
    const url = request.url ?? '/';
    if (hostName(request.headers.host) !== pingHost || !url.startsWith('/')) return url;
    const end = url.slice(1).search(/[/?#]/);
    const first = end === -1 ? url.slice(1) : url.slice(1, end + 1);
    return SERVED_AS_EVERYWHERE.has(first) ? url : `/ping${url}`;
  };
}
