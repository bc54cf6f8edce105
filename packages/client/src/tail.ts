/** Bytes of combined output kept for the end-of-run ping. Default: 10 KB. */
export const TAIL_LIMIT = 10 * 1024;

/**
 * Keeps the last `limit` bytes of a stream of chunks. A job may print
 * gigabytes; only the end matters for a failure report, so memory stays
 * bounded by the limit plus one chunk.
 */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Bytes seen in total, including those dropped. */
  total = 0;

  constructor(readonly limit: number = TAIL_LIMIT) {}

  push(chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.total += bytes.length;
    this.chunks.push(bytes);
    this.size += bytes.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.limit) {
      this.size -= this.chunks.shift()!.length;
    }
  }

  /** The kept bytes, cut at the limit without starting inside a UTF-8 character. */
  bytes(): Buffer {
    const all = Buffer.concat(this.chunks, this.size);
    let start = Math.max(0, all.length - this.limit);
    // Continuation bytes look like 10xxxxxx: skip them so the tail decodes cleanly.
    while (start < all.length && start > 0 && ((all[start] ?? 0) & 0xc0) === 0x80) start++;
    return all.subarray(start);
  }

  /** True when output was dropped from the front. */
  get truncated(): boolean {
    return this.total > this.bytes().length;
  }
}
