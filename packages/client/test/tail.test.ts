import { describe, expect, it } from 'vitest';
import { TailBuffer } from '../src/tail';

describe('the output tail', () => {
  it('keeps everything while under the limit', () => {
    const tail = new TailBuffer(10);
    tail.push('abc');
    tail.push(Buffer.from('def'));
    expect(tail.bytes().toString()).toBe('abcdef');
    expect(tail.truncated).toBe(false);
  });

  it('keeps exactly the last limit bytes across chunk boundaries', () => {
    const tail = new TailBuffer(10);
    for (const chunk of ['0123', '4567', '89ab', 'cdef']) tail.push(chunk);
    expect(tail.bytes().toString()).toBe('6789abcdef');
    expect(tail.total).toBe(16);
    expect(tail.truncated).toBe(true);
  });

  it('keeps the end of one chunk larger than the limit', () => {
    const tail = new TailBuffer(4);
    tail.push(`${'a'.repeat(100)}wxyz`);
    expect(tail.bytes().toString()).toBe('wxyz');
  });

  it('never starts in the middle of a UTF-8 character', () => {
    const tail = new TailBuffer(5);
    tail.push('ab☃☃'); // ☃ is 3 bytes: the cut at 5 bytes from the end falls inside the first one
    expect(tail.bytes().toString()).toBe('☃');
  });
});
