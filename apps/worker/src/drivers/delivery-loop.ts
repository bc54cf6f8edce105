/**
 * Delivery in one worker process: up to `concurrency` notifications in
 * flight, claimed from the table as slots free up (so a burst is claimed in
 * batches, not one statement per notification), and, when nothing is in
 * flight, a sleep until the next one is due (a retry's backoff, or a dead
 * worker's lease) or until woken.
 */
import type { Delivery } from '@cronbeat/db';
import type { AttemptResult } from '../deliver';
import { type NextPass, WakeLoop } from './wake-loop';

export interface DeliveryJobs {
  claimDue(limit: number): Promise<Delivery[]>;
  deliver(delivery: Delivery): Promise<AttemptResult>;
  /** When the next pending notification is due; null when none is pending. */
  nextDelivery(): Promise<Date | null>;
}

export class DeliveryLoop {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly loop: WakeLoop;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly jobs: DeliveryJobs,
    private readonly concurrency: number,
    maxSleepMs: number,
    private readonly onError: (error: unknown) => void,
  ) {
    this.loop = new WakeLoop(() => this.fill(), maxSleepMs, onError);
  }

  /** There may be due notifications. */
  wake(): void {
    this.loop.wake();
  }

  /** Resolves once this process has nothing in flight and found nothing more due. */
  drained(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.wake();
    });
  }

  /** Stops claiming and waits for the sends in flight to be recorded. */
  async close(): Promise<void> {
    await this.loop.close();
    await Promise.allSettled([...this.inFlight]);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async fill(): Promise<{ next: NextPass; idle: boolean }> {
    const free = this.concurrency - this.inFlight.size;
    // Full: a send that ends wakes the loop again.
    if (free <= 0) return { next: null, idle: false };
    const claimed = await this.jobs.claimDue(free);
    for (const delivery of claimed) this.start(delivery);
    // Sends in flight wake the loop as they end, and it claims again then.
    if (claimed.length === free || this.inFlight.size > 0) return { next: null, idle: false };
    for (const resolve of this.idleWaiters.splice(0)) resolve();
    return { next: await this.jobs.nextDelivery(), idle: true };
  }

  private start(delivery: Delivery): void {
    const send = this.jobs
      .deliver(delivery)
      .then(
        () => {},
        (error: unknown) => this.onError(error),
      )
      .finally(() => {
        this.inFlight.delete(send);
        this.wake();
      });
    this.inFlight.add(send);
  }
}
