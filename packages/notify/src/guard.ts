/**
 * The network guard: every outbound HTTP request of every channel goes
 * through `request()`. It resolves the host, refuses addresses that are not
 * public (address-policy.ts) unless the operator allowed their range, and
 * then connects to exactly the addresses it checked (a pinned `lookup`), so
 * a DNS answer that changes between the check and the connection (DNS
 * rebinding) cannot send the request elsewhere. Redirects are never followed,
 * and at most MAX_RESPONSE_BYTES of an answer are read: the rest is cut off.
 */
import { promises as dns, type LookupAddress } from 'node:dns';
import http, { STATUS_CODES } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { parseRanges, refusalOf } from './address-policy';
import { DeliveryError } from './types';

/** Bytes of an answer read at most; nothing of it is shown to anyone, it is read only to end the exchange cleanly. */
export const MAX_RESPONSE_BYTES = 4096;

/** The system resolver (getaddrinfo, so /etc/hosts counts), every address. */
const systemResolve = (hostname: string): Promise<LookupAddress[]> => dns.lookup(hostname, { all: true, verbatim: true });

export interface GuardOptions {
  /** CIDR ranges of non-public addresses that may nevertheless be reached (ALLOW_PRIVATE_TARGETS). Default: none. */
  allowed?: readonly string[];
  /** Resolves a host name to its addresses. Default: the system resolver. Tests swap it to play a rebinding DNS server. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

export interface OutboundRequest {
  method: 'POST' | 'PUT' | 'GET' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  body: string;
  /** Milliseconds for everything: resolving, connecting, sending and reading the answer. */
  timeoutMs: number;
  /** Bytes of the answer to read at most. Default: MAX_RESPONSE_BYTES (alerts need only the status; an importer reads a whole answer). */
  maxResponseBytes?: number;
}

export interface OutboundResponse {
  status: number;
  /** The answer's headers, names lower-cased (Node's), for hints such as `retry-after`. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** At most MAX_RESPONSE_BYTES of the answer's body. */
  body: Buffer;
}

/** A target the guard will not connect to. Permanent: the address will not become public by retrying. */
export class TargetRefused extends DeliveryError {
  constructor(host: string, reason: string) {
    super(`refused: ${host} is not a public address (${reason}); the operator's ALLOW_PRIVATE_TARGETS can permit it`, true);
  }
}

export interface NetworkGuard {
  /** The addresses `url` may be reached at; rejects with TargetRefused when any of them may not be. */
  check(url: URL): Promise<LookupAddress[]>;
  /** Sends one request through the guard; resolves with the status whatever it is, rejects with a DeliveryError. */
  request(url: string, init: OutboundRequest): Promise<OutboundResponse>;
  /** Closes kept-alive connections. */
  close(): void;
}

export function createNetworkGuard(options: GuardOptions = {}): NetworkGuard {
  const allowed = parseRanges(options.allowed ?? []);
  const resolve = options.resolve ?? systemResolve;
  // Agents of this guard alone: a kept-alive socket was connected to an address this guard checked.
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };

  async function check(url: URL): Promise<LookupAddress[]> {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    let addresses: LookupAddress[];
    if (ipaddr.isValid(host)) {
      addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
    } else {
      try {
        addresses = await resolve(host);
      } catch (error) {
        // localhost and *.localhost are loopback by definition (RFC 6761), whether or not this resolver knows them.
        if (isLocalhostName(host)) throw new TargetRefused(url.hostname, 'loopback');
        throw new DeliveryError(`host ${host} not found`, false, { cause: error });
      }
      if (addresses.length === 0) throw new DeliveryError(`host ${host} not found`, false);
    }
    // One bad address refuses the host: connecting picks among them, so all must pass.
    for (const { address } of addresses) {
      const refusal = refusalOf(address, allowed);
      if (refusal) throw new TargetRefused(url.hostname, refusal);
    }
    return addresses;
  }

  async function request(target: string, init: OutboundRequest): Promise<OutboundResponse> {
    const url = new URL(target);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DeliveryError(`refused: ${url.protocol} is not http(s)`, true);
    const deadline = AbortSignal.timeout(init.timeoutMs);
    const timedOut = () => new DeliveryError(`timed out after ${Math.round(init.timeoutMs / 100) / 10} s`, false);
    const addresses = await Promise.race([
      check(url),
      new Promise<never>((_, reject) => deadline.addEventListener('abort', () => reject(timedOut()), { once: true })),
    ]);
    // Node calls this instead of the resolver: the connection goes to what was checked, never to a fresh answer.
    const pinned = ((_hostname, lookupOptions, callback) => {
      if (lookupOptions.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    }) as LookupFunction;
    return new Promise<OutboundResponse>((resolvePromise, reject) => {
      let settled = false;
      /** The answer's status once its head is in; from then on the answer is judged by it, whatever the body does. */
      let status: number | null = null;
      let headers: OutboundResponse['headers'] = {};
      const chunks: Buffer[] = [];
      const limit = init.maxResponseBytes ?? MAX_RESPONSE_BYTES;
      let size = 0;
      const answered = () => {
        if (settled || status === null) return;
        settled = true;
        resolvePromise({ status, headers, body: Buffer.concat(chunks) });
      };
      const fail = (error: DeliveryError) => {
        if (settled) return;
        settled = true;
        reject(error);
      };
      const outgoing = (url.protocol === 'https:' ? https : http).request(
        {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method: init.method,
          headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
          agent: agents[url.protocol as 'http:' | 'https:'],
          lookup: pinned,
          signal: deadline,
        },
        (response) => {
          status = response.statusCode ?? 0;
          headers = response.headers;
          response.on('data', (chunk: Buffer) => {
            if (settled) return;
            chunks.push(chunk.subarray(0, limit - size));
            size += chunk.length;
            if (size >= limit) {
              // Enough: the status is what counts. Cutting the connection is what bounds the memory an answer takes.
              answered();
              response.destroy();
            }
          });
          // An answer read to its end, cut short, or still dripping at the deadline: judged by its status all the same.
          response.on('end', answered);
          response.on('error', answered);
          response.on('close', answered);
        },
      );
      outgoing.on('error', (error) => {
        if (status !== null) return answered();
        fail(deadline.aborted ? timedOut() : networkFailure(error));
      });
      outgoing.end(init.body);
    });
  }

  return {
    check,
    request,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

const isLocalhostName = (host: string): boolean => /(^|\.)localhost\.?$/i.test(host);

/** `HTTP 410 Gone`: the status and its standard phrase, never the target's own words. */
export const statusLine = (status: number): string => `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  HPE_INVALID_CONSTANT: 'not an HTTP answer',
  HPE_INVALID_STATUS: 'not an HTTP answer',
  EPROTO: 'TLS handshake failed',
};

/** A short reason in our words (the code, not the error's message, which may quote the target). Transient. */
function networkFailure(error: Error): DeliveryError {
  const code = (error as { code?: string }).code ?? '';
  const reason =
    NETWORK_REASONS[code] ??
    (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)
      ? `TLS certificate not accepted (${code})`
      : `network error${code ? ` (${code})` : ''}`);
  return new DeliveryError(reason, false, { cause: error });
}
