import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';

/** Most bytes of an envelope or check-in body, before and after decompressing: check-ins are a few hundred bytes, errors rarely 200 KB. */
export const SENTRY_BODY_LIMIT = 1024 * 1024;

/** A body that cannot be read as sent; `status` is 400 (undecodable, unknown encoding) or 413 (too large). */
export class BodyError extends Error {
  override readonly name = 'BodyError';
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

const DECODERS = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  br: promisify(brotliDecompress),
  // `deflate` is zlib-wrapped by the standard, but some clients send it raw.
  deflate: async (data: Buffer, options: { maxOutputLength: number }) => {
    try {
      return await promisify(inflate)(data, options);
    } catch (error) {
      if (isTooLarge(error)) throw error;
      return promisify(inflateRaw)(data, options);
    }
  },
} as const;

const isTooLarge = (error: unknown): boolean => (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';

/**
 * The body as the SDK wrote it. @sentry/node gzips bodies over 32 KB
 * (`Content-Encoding: gzip`); Sentry's relay also takes deflate and
 * Brotli, so these do too. Decompressing stops at the limit, so a small
 * compressed bomb cannot fill memory.
 */
export async function decodedBody(raw: Buffer, contentEncoding: string | undefined): Promise<Buffer> {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return raw;
  const decode = Object.hasOwn(DECODERS, encoding) ? DECODERS[encoding as keyof typeof DECODERS] : undefined;
  if (!decode) throw new BodyError(400, `Content-Encoding ${JSON.stringify(encoding)} is not supported (gzip, deflate, br or none)`);
  try {
    return await decode(raw, { maxOutputLength: SENTRY_BODY_LIMIT });
  } catch (error) {
    if (isTooLarge(error)) throw new BodyError(413, `the body is larger than ${SENTRY_BODY_LIMIT} bytes once decompressed`);
    throw new BodyError(400, `the body is not valid ${encoding} data`);
  }
}
