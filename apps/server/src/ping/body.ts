import type { Readable } from 'node:stream';

/** A ping's request body as received: the first `limit` bytes and the real size. */
export interface CapturedBody {
  bytes: Buffer;
  /** Bytes the client sent, including those beyond the limit. */
  size: number;
}

/**
 * Reads a request body of any content type, keeping at most `limit` bytes
 * and counting the rest. Pings never answer 413: a job that logs too much
 * must still be recorded, so the excess is read and dropped.
 */
export function captureBody(stream: Readable, limit: number): Promise<CapturedBody> {
  return new Promise((resolve, reject) => {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (keptBytes < limit) {
        const part = chunk.length <= limit - keptBytes ? chunk : chunk.subarray(0, limit - keptBytes);
        kept.push(part);
        keptBytes += part.length;
      }
    });
    stream.on('end', () => resolve({ bytes: Buffer.concat(kept, keptBytes), size }));
    // A body that breaks off is the client's doing (it went away, or ran past the request timeout): a 4xx, as Fastify's own body reader says.
    stream.on('error', (error: Error & { statusCode?: number }) => reject(Object.assign(error, { statusCode: 400 })));
  });
}

/** How a body is stored: as text when it is UTF-8 Postgres can hold, otherwise as bytes. */
export interface StoredBody {
  body: string | null;
  bodyRaw: Uint8Array | null;
  bodySize: number;
}

export function storedBody(captured: CapturedBody | undefined): StoredBody {
  if (!captured || captured.size === 0) return { body: null, bodyRaw: null, bodySize: 0 };
  const text = utf8Text(captured.bytes, captured.bytes.length < captured.size);
  return text === null
    ? { body: null, bodyRaw: captured.bytes, bodySize: captured.size }
    : { body: text, bodyRaw: null, bodySize: captured.size };
}

/**
 * The bytes as text, or null when they are not UTF-8. A cut body may end in
 * the middle of a character, which is dropped rather than making the whole
 * body binary. Text containing NUL is treated as binary: Postgres text
 * columns cannot hold it.
 */
function utf8Text(bytes: Buffer, cut: boolean): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, { stream: cut });
  } catch {
    return null;
  }
}
