/**
 * The client's one way to send an HTTP request, on `node:http` and
 * `node:https`. The CLI runs at the end of every cron job, and the first
 * `fetch` of a Node process loads undici: about 0.17 s of CPU on Node 20
 * that each job run would pay for one small request.
 *
 * What `fetch` did for the callers is kept: one deadline for the whole
 * exchange, redirects followed the way fetch follows them, the answer read
 * as UTF-8 text.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpRequest {
  method: string;
  url: string;
  /** Sent as given, beside a user-agent of the client's unless given; a redirect drops what fetch drops (see `redirected`). */
  headers: Record<string, string>;
  /** Sent with a content-length. */
  body?: string | Uint8Array;
  /** Milliseconds the whole exchange may take: connecting, sending, every redirect and reading the answer. */
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  /** True for a 2xx status, as fetch's `response.ok`. */
  ok: boolean;
  /** The whole body, decoded as UTF-8. */
  text: string;
}

/** The exchange did not finish before its deadline; its request and socket are destroyed. */
export class HttpTimeoutError extends Error {
  override readonly name = 'HttpTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** Sent with every request unless the caller names another. */
const USER_AGENT = 'cronbeat-client/0.1';

/** 5xx, 429 and no answer at all (`null`) are worth another try; other answers are final. */
export const isTransient = (status: number | null): boolean => status === null || status === 429 || status >= 500;

/** Redirects followed before giving up (fetch follows 20; a Cronbeat behind a proxy needs one or two). */
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** The headers that describe a body, dropped with the body when a redirect turns the request into a GET. */
const BODY_HEADERS = ['content-encoding', 'content-language', 'content-location', 'content-type', 'content-length'];

interface Hop {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
}

/** One exchange's answer: the location of a redirect to follow, or the body. */
type Reply = { status: number; location: string } | HttpAnswer;

/**
 * Sends the request, following up to 5 redirects, and resolves with the
 * final answer whatever its status. Rejects with `HttpTimeoutError` when the
 * deadline passes, with Node's error (its `code`: `ECONNREFUSED`,
 * `ENOTFOUND`, `ECONNRESET`…) when there is no answer, and with an error
 * that says why for a URL that is not http: or https: or too many redirects.
 */
export async function request(options: HttpRequest): Promise<HttpAnswer> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new HttpTimeoutError(options.timeoutMs)), Math.max(0, options.timeoutMs));
  try {
    let hop: Hop = {
      method: options.method.toUpperCase(),
      url: httpUrl(new URL(options.url)),
      headers: {
        'user-agent': USER_AGENT,
        ...Object.fromEntries(Object.entries(options.headers).map(([name, value]) => [name.toLowerCase(), value])),
      },
      body: typeof options.body === 'string' ? Buffer.from(options.body) : options.body,
    };
    for (let redirects = 0; ; redirects++) {
      const reply = await exchange(hop, deadline.signal);
      if ('text' in reply) return reply;
      if (redirects === MAX_REDIRECTS) throw new Error(`too many redirects (more than ${MAX_REDIRECTS})`);
      hop = redirected(hop, reply.status, reply.location);
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Why a request got no answer, in the words the CLI prints: `timed out`, the system code, or the message. */
export function describeHttpFailure(error: unknown): string {
  if (error instanceof HttpTimeoutError) return 'timed out';
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.message;
  return String(error);
}

function httpUrl(url: URL): URL {
  if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  throw new Error(`cannot request a ${url.protocol} URL: only http: and https: are supported`);
}

/**
 * The request a redirect asks for, as fetch makes it: 303 turns anything but GET and HEAD into a GET, 301 and
 * 302 turn a POST into a GET (both without the body), 307 and 308 keep method and body; another origin does
 * not get the authorization header.
 */
function redirected(hop: Hop, status: number, location: string): Hop {
  const url = httpUrl(new URL(location, hop.url));
  const toGet =
    status === 303 ? hop.method !== 'GET' && hop.method !== 'HEAD' : (status === 301 || status === 302) && hop.method === 'POST';
  const dropped = new Set(toGet ? BODY_HEADERS : []);
  if (url.origin !== hop.url.origin) dropped.add('authorization');
  const headers = Object.fromEntries(Object.entries(hop.headers).filter(([name]) => !dropped.has(name)));
  return toGet ? { method: 'GET', url, headers, body: undefined } : { ...hop, url, headers };
}

/** One request and its answer; a redirect's body is not read. Settles once, and leaves no socket open. */
function exchange(hop: Hop, signal: AbortSignal): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = hop.body === undefined ? hop.headers : { ...hop.headers, 'content-length': String(hop.body.byteLength) };
    // A fresh agent per request: no keep-alive socket outlives the exchange and holds the process open.
    const send = hop.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(hop.url, { method: hop.method, headers, agent: false });
    let settled = false;
    const settle = () => {
      settled = true;
      signal.removeEventListener('abort', abort);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settle();
      outgoing.destroy();
      reject(error);
    };
    const abort = () => fail(signal.reason);
    outgoing.on('error', fail);
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort);
    outgoing.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      // Like fetch, a redirect without a location is the answer itself.
      if (REDIRECTS.has(status) && location !== undefined) {
        settle();
        response.destroy();
        return resolve({ status, location });
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', fail);
      response.on('close', () => {
        if (!response.complete)
          fail(Object.assign(new Error('the connection closed before the answer was complete'), { code: 'ECONNRESET' }));
      });
      response.on('end', () => {
        if (settled) return;
        settle();
        // TextDecoder, as fetch's text(): a leading byte-order mark is not part of the text.
        resolve({ status, ok: status >= 200 && status <= 299, text: new TextDecoder().decode(Buffer.concat(chunks)) });
      });
    });
    outgoing.end(hop.body);
  });
}
