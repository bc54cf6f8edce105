import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Config } from '@cronbeat/config';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { holdsEtag, strongEtag } from '../etag';
import { ClientTarball } from './client-tarball';

/*
 * The client, handed out by the server itself, so job hosts need neither the
 * public npm registry nor Node:
 *   /client/cronbeat.tgz  the `cronbeat` CLI and SDK's npm package, the one
 *                         this server's sources make (npm install -g <url>)
 *   /client/cronbeat.sh   the POSIX sh runner (packages/client/sh), with this
 *                         server's BASE_URL as its default address
 * Both are public like the ping URLs, revalidated by ETag on every use, as
 * their addresses stay the same across upgrades.
 */

/** packages/client, found from this package's place like the dashboard's build: the same from sources or a bundle. */
export const CLIENT_DIR = join(
  dirname(createRequire(import.meta.url).resolve('@cronbeat/server/package.json')),
  '..',
  '..',
  'packages',
  'client',
);

/** The runner's line that the served copy fills in; the file in the repository leaves it empty. */
const DEFAULT_URL_LINE = "cronbeat_default_url=''";

export interface ClientFilesOptions {
  config: Pick<Config, 'baseUrl'>;
  /** The client package's folder. Default: CLIENT_DIR. */
  clientDir?: string;
  /** Where tarballs made on request are kept. Default: node_modules/.cache/cronbeat-client in the repository. */
  cacheDir?: string;
  /** Milliseconds a request waits for a tarball being made before it is told to retry (503). Default: 60000, within the server's 120 s idle deadline. */
  tarballWait?: number;
  /** Passed to ClientTarball (deadline, retry pause, command); tests shorten them. */
  tarball?: Partial<
    Pick<ConstructorParameters<typeof ClientTarball>[0], 'makeTimeout' | 'retryAfterFailure' | 'maxRetryAfterFailure' | 'command'>
  >;
}

/** `text` as one sh word: single quotes, each quote inside closed, escaped and reopened. */
export const shQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** The runner with `baseUrl` as its default address, or null when the template is missing or lacks the line. */
export function servedRunner(template: string, baseUrl: string): string | null {
  if (template.split('\n').filter((line) => line === DEFAULT_URL_LINE).length !== 1) return null;
  return template.replace(`${DEFAULT_URL_LINE}\n`, `cronbeat_default_url=${shQuote(baseUrl)}\n`);
}

/** Answers 304 when the client already holds this version (If-None-Match), else the file. */
function sendFile(request: FastifyRequest, reply: FastifyReply, body: Buffer | string, etag: string, type: string) {
  reply.header('etag', etag).header('cache-control', 'no-cache').header('content-type', type);
  if (holdsEtag(request, etag)) return reply.status(304).send();
  return reply.send(body);
}

const notAvailable = (reply: FastifyReply, message: string) =>
  reply
    .status(404)
    .header('cache-control', 'no-store')
    .send({ error: { code: 'CB_CLIENT_UNAVAILABLE', message } });

export async function clientFileRoutes(app: FastifyInstance, options: ClientFilesOptions) {
  const clientDir = options.clientDir ?? CLIENT_DIR;
  const tarball = new ClientTarball({
    clientDir,
    cacheDir: options.cacheDir ?? join(clientDir, '..', '..', 'node_modules', '.cache', 'cronbeat-client'),
    onFailure: (reason) => app.log.warn(`the client's package could not be made: ${reason}`),
    ...options.tarball,
  });
  const tarballWait = options.tarballWait ?? 60_000;
  app.addHook('onClose', async () => tarball.close());

  let runner: { text: string; etag: string } | null | undefined;
  const loadRunner = () => {
    if (runner !== undefined) return runner;
    let template: string | null = null;
    try {
      template = readFileSync(join(clientDir, 'sh', 'cronbeat.sh'), 'utf8');
    } catch (error) {
      app.log.warn({ err: error }, 'the sh runner is missing from this server');
    }
    const text = template === null ? null : servedRunner(template, options.config.baseUrl);
    if (template !== null && text === null) app.log.warn(`the sh runner has no "${DEFAULT_URL_LINE}" line to fill in`);
    runner = text === null ? null : { text, etag: strongEtag(text) };
    return runner;
  };

  const docs = { tags: ['Client'], security: [] };
  app.get(
    '/client/cronbeat.sh',
    {
      schema: {
        ...docs,
        summary: "The POSIX sh runner, with this server's address as its default (curl … | sh -s -- run <ping URL> -- <command>)",
      },
    },
    async (request, reply) => {
      const served = loadRunner();
      if (!served) return notAvailable(reply, 'the sh runner is not installed on this server');
      return sendFile(request, reply, served.text, served.etag, 'text/x-shellscript; charset=utf-8');
    },
  );

  app.get(
    '/client/cronbeat.tgz',
    { schema: { ...docs, summary: "The cronbeat CLI's npm package, as this server's version (npm install -g <this URL>)" } },
    async (request, reply) => {
      const answer = await tarball.get(tarballWait);
      if (answer.state === 'making') {
        return reply
          .status(503)
          .header('retry-after', '30')
          .header('cache-control', 'no-store')
          .send({
            error: {
              code: 'CB_CLIENT_BEING_MADE',
              message: "the client's package is being made from this server's sources; try again in a minute",
            },
          });
      }
      if (answer.state === 'unavailable') {
        return notAvailable(
          reply,
          "the client's package could not be made on this server (its log says why); npm run build makes it ahead of time",
        );
      }
      reply.header('content-disposition', `attachment; filename="cronbeat-${answer.file.version}.tgz"`);
      return sendFile(request, reply, answer.file.bytes, answer.file.etag, 'application/gzip');
    },
  );
}
