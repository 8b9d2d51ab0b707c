/** Closers of whatever has started, run last-first, each even when an earlier one fails. */
export class ShutdownStack {
  readonly #closers: { name: string; close: () => Promise<void> | void }[] = [];

  /** Registers the closer of something that has just started. */
  push(name: string, close: () => Promise<void> | void): void {
    this.#closers.push({ name, close });
  }

  /** Runs every closer, newest first; `onError` receives the failures (the rest still run). */
  async closeAll(onError: (name: string, error: unknown) => void): Promise<void> {
    for (let closer = this.#closers.pop(); closer !== undefined; closer = this.#closers.pop()) {
      try {
        await closer.close();
      } catch (error) {
        onError(closer.name, error);
      }
    }
  }
}
