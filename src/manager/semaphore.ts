// A counting semaphore with FIFO waiters and abortable acquisition.

/** Gives back a slot; calling it more than once is harmless. */
export type Release = () => void;

/** At most `limit` holders at a time; the rest wait in order. */
export class Semaphore {
  readonly #limit: number;
  #held = 0;
  readonly #waiters: { grant: () => void }[] = [];

  constructor(limit: number) {
    if (!(limit >= 1)) throw new RangeError('limit must be >= 1');
    this.#limit = limit;
  }

  /** Slots currently held. */
  get held(): number {
    return this.#held;
  }

  /** Waits for a free slot; rejects with the signal's reason (and does not take a slot) when it aborts. */
  async acquire(signal?: AbortSignal): Promise<Release> {
    signal?.throwIfAborted();
    if (this.#held < this.#limit) {
      this.#held += 1;
      return this.#releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
    return this.#releaser();
  }

  #releaser(): Release {
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      const next = this.#waiters.shift();
      // Hand the slot straight to the next waiter: the count stays the same.
      if (next === undefined) this.#held -= 1;
      else next.grant();
    };
  }
}
