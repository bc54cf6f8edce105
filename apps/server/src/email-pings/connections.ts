/**
 * Open SMTP sessions per client address, so one sender cannot hold every
 * connection the listener allows: the HTTP ping path has no rate limit of
 * its own (a ping costs a row either way), but a mail session holds a
 * socket for up to a minute.
 */
export class ConnectionsPerAddress {
  readonly #perAddress = new Map<string, number>();
  readonly #addressOf = new Map<string, string>();

  constructor(readonly limit: number) {}

  /** Counts a new session; false (and not counted) when its address already has `limit` open. */
  open(sessionId: string, address: string): boolean {
    const open = this.#perAddress.get(address) ?? 0;
    if (open >= this.limit) return false;
    this.#perAddress.set(address, open + 1);
    this.#addressOf.set(sessionId, address);
    return true;
  }

  /** A session ended; one that was never counted is ignored. */
  closed(sessionId: string): void {
    const address = this.#addressOf.get(sessionId);
    if (address === undefined) return;
    this.#addressOf.delete(sessionId);
    const open = (this.#perAddress.get(address) ?? 1) - 1;
    if (open === 0) this.#perAddress.delete(address);
    else this.#perAddress.set(address, open);
  }
}
