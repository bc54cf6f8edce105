/**
 * Records delivery outcomes in groups: the outcomes that sends finish while
 * one statement runs go together in the next. A burst of deliveries then
 * costs a statement per group, not per notification, and an outcome waits
 * at most one statement before its own starts.
 */
import { type Db, type DeliveryAttempt, recordDeliveryAttempts } from '@cronbeat/db';

interface Waiting {
  attempt: DeliveryAttempt;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Most outcomes in one statement. */
const MAX_GROUP = 200;

export function outcomeRecorder(db: Db): (attempt: DeliveryAttempt) => Promise<void> {
  let waiting: Waiting[] = [];
  let writing = false;

  async function write(): Promise<void> {
    writing = true;
    while (waiting.length > 0) {
      const group = waiting.slice(0, MAX_GROUP);
      waiting = waiting.slice(group.length);
      try {
        await recordDeliveryAttempts(
          db,
          group.map((each) => each.attempt),
        );
        for (const each of group) each.resolve();
      } catch (error) {
        for (const each of group) each.reject(error);
      }
    }
    writing = false;
  }

  return (attempt) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ attempt, resolve, reject });
      if (!writing) void write();
    });
}
