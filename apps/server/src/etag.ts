import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** A strong ETag of a body: 27 characters of its SHA-256 (162 bits), quoted. */
export const strongEtag = (body: Buffer | string): string => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/** Whether the request's If-None-Match names `tag` (weakly, as RFC 9110 compares for GET): answer 304 without a body. */
export const holdsEtag = (request: FastifyRequest, tag: string): boolean =>
  (request.headers['if-none-match'] ?? '')
    .split(',')
    .map((part) => part.trim().replace(/^W\//, ''))
    .includes(tag);
