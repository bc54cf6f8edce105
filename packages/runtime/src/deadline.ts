/**
 * `work`, or a rejection once `ms` milliseconds have passed without it
 * settling: every wait on a database, Redis or a peer has a deadline. The
 * error is `timedOut()`'s when given (a worker names the Redis call), else
 * "no answer within N ms". The work itself is not stopped; a late rejection
 * of it is handled here, never left unhandled.
 */
export async function withDeadline<T>(work: PromiseLike<T>, ms: number, timedOut?: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(timedOut?.() ?? new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
