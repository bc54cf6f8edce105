import type { PingResult, ReceivedPing } from './batch';

/** One ping handed to the recorder, until it is answered (once: later answers are ignored). */
export class WaitingPing {
  answered = false;
  /** When the recorder took it (ms since the epoch): what its wait is measured from. */
  readonly receivedAt = Date.now();
  /** Set once a write from known state missed: the next attempt locks and reads the check. */
  locked = false;
  constructor(
    readonly ping: ReceivedPing,
    readonly settle: (result: PingResult) => void,
    readonly refuse: (error: unknown) => void,
  ) {}

  resolve(result: PingResult): void {
    if (this.answered) return;
    this.answered = true;
    this.settle(result);
  }

  reject(error: unknown): void {
    if (this.answered) return;
    this.answered = true;
    this.refuse(error);
  }
}

/** A check's waiting pings, in arrival order, taken for one write; `key` names the check (see `PingRecorder`). */
export interface PingGroup {
  key: string;
  waiting: WaitingPing[];
}
