/**
 * A TCP proxy on loopback for fault tests: Cronbeat connects to it instead of
 * a service (Redis, Postgres), and the test takes the service away by cutting
 * the proxy (every open connection reset, new ones refused) and brings it back
 * by restoring it on the same port.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The port on 127.0.0.1 that clients connect to; it stays the same across cut and restore. */
  port: number;
  /** Whether connections are passed through right now. */
  readonly open: boolean;
  /** Connections accepted since the proxy started. */
  readonly accepted: number;
  /** Resets every open connection and stops listening, so new ones are refused (ECONNREFUSED). */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (a free port unless given) to `target`, which must be a loopback address. */
export async function startTcpProxy(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
  if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(target.host)) throw new Error(`the proxy only reaches loopback, not ${target.host}`);
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((client) => {
    accepted++;
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      // A reset on either side ends both; the error itself is what the client is meant to see.
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  let open = false;
  const listen = (server: Server, at: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(at, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : at);
      });
    });
  const bound = await listen(server, port);
  open = true;

  async function cut(): Promise<void> {
    if (!open) return;
    open = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.resetAndDestroy();
    await closed;
  }

  return {
    port: bound,
    get open() {
      return open;
    },
    get accepted() {
      return accepted;
    },
    cut,
    async restore() {
      if (open) return;
      await listen(server, bound);
      open = true;
    },
    close: cut,
  };
}
