/**
 * A pool of keep-alive sockets speaking just enough HTTP/1.1 for the
 * benchmark's GETs and their short answers, one request per socket at a
 * time. On a small machine the load generator shares the server's cores, so
 * its own cost per request is taken from what it measures: Node's http
 * client costs about twice autocannon's CPU per request, and autocannon
 * (about 38 µs here) nearly three times this pool's (about 14 µs).
 */
import { connect, type Socket } from 'node:net';

/** How a request ended: its status, `error` when its socket failed, `timeout` when no answer came in time. */
export type Answer = number | 'error' | 'timeout';
export type Answered = (answer: Answer) => void;

/** Milliseconds a request may wait for its answer; its socket is then closed. */
const REQUEST_TIMEOUT_MS = 10_000;

interface Pending {
  path: string;
  answered: Answered;
}

const HEADER_END = '\r\n\r\n';

export class KeepAlivePool {
  readonly #host: string;
  readonly #idle: Socket[] = [];
  readonly #queue: Pending[] = [];
  readonly #current = new Map<Socket, Pending>();
  #open = 0;

  private constructor(host: string) {
    this.#host = host;
  }

  /** Opens `size` sockets to `url`'s host and port. */
  static async open(url: string, size: number): Promise<KeepAlivePool> {
    const { hostname, port } = new URL(url);
    const pool = new KeepAlivePool(`${hostname}:${port}`);
    await Promise.all(Array.from({ length: size }, () => pool.#connect(hostname, Number(port))));
    return pool;
  }

  /** Sends `GET path` on the next free socket; `answered` gets its status, or how it failed. */
  get(path: string, answered: Answered): void {
    const socket = this.#idle.pop();
    if (socket) this.#send(socket, { path, answered });
    else if (this.#open > 0) this.#queue.push({ path, answered });
    else answered('error');
  }

  close(): void {
    for (const socket of [...this.#idle, ...this.#current.keys()]) socket.destroy();
  }

  #connect(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      socket.setTimeout(REQUEST_TIMEOUT_MS);
      let connected = false;
      let received = '';
      socket.setEncoding('latin1');
      socket.once('connect', () => {
        connected = true;
        this.#open += 1;
        this.#idle.push(socket);
        resolve();
      });
      socket.on('data', (chunk: string) => {
        received += chunk;
        // Answers to these GETs are short and always carry a Content-Length.
        for (;;) {
          const headerEnd = received.indexOf(HEADER_END);
          if (headerEnd < 0) return;
          const length = /\r\ncontent-length:\s*(\d+)/i.exec(received.slice(0, headerEnd));
          const end = headerEnd + HEADER_END.length + Number(length?.[1] ?? 0);
          if (received.length < end) return;
          const status = Number(received.slice(9, 12)); // "HTTP/1.1 200 OK"
          received = received.slice(end);
          this.#done(socket, status);
        }
      });
      socket.on('timeout', () => {
        const pending = this.#current.get(socket);
        if (!pending) return; // idle, not waiting for anything
        this.#current.delete(socket);
        pending.answered('timeout');
        socket.destroy(); // a late answer must not be taken for the next request's
      });
      socket.once('error', reject); // before connecting; once connected, 'close' follows
      socket.once('close', () => {
        if (!connected) return;
        this.#open -= 1;
        const idleAt = this.#idle.indexOf(socket);
        if (idleAt >= 0) this.#idle.splice(idleAt, 1);
        this.#current.get(socket)?.answered('error');
        this.#current.delete(socket);
        if (this.#open === 0) for (const pending of this.#queue.splice(0)) pending.answered('error');
      });
    });
  }

  #send(socket: Socket, pending: Pending): void {
    this.#current.set(socket, pending);
    socket.write(`GET ${pending.path} HTTP/1.1\r\nHost: ${this.#host}\r\n\r\n`);
  }

  #done(socket: Socket, status: number): void {
    const pending = this.#current.get(socket);
    this.#current.delete(socket);
    const next = this.#queue.shift();
    if (next) this.#send(socket, next);
    else this.#idle.push(socket);
    pending?.answered(status);
  }
}
