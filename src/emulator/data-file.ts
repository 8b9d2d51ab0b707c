// Durable state: one JSON file replaced atomically (temp file, fsync, rename, fsync of the directory).
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Why the data file could not be read. */
export class DataFileError extends Error {
  readonly code = 'DataFileUnreadable';
}

/**
 * A JSON file saved atomically, so a crash mid-write leaves the previous version intact. Saves are
 * coalesced: `save()` resolves once a write that started after the call has reached the disk.
 */
export class DataFile<T> {
  readonly path: string;
  #snapshot: () => T;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  /** `snapshot` is called when a write starts, so one write covers every change made before it. */
  constructor(path: string, snapshot: () => T) {
    this.path = path;
    this.#snapshot = snapshot;
  }

  /** The saved content, or undefined when the file does not exist. */
  async load(): Promise<T | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new DataFileError(`cannot read data file ${this.path}`, { cause: error });
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new DataFileError(`data file ${this.path} is not valid JSON`, { cause: error });
    }
  }

  /** Writes the current snapshot; resolves when it is durable. Concurrent calls share one write. */
  save(): Promise<void> {
    if (this.#queued !== undefined) return this.#queued;
    const previous = this.#running ?? Promise.resolve();
    const queued = previous.catch(() => undefined).then(() => {
      this.#queued = undefined;
      const running = this.#write(JSON.stringify(this.#snapshot()));
      this.#running = running;
      return running;
    });
    this.#queued = queued;
    return queued;
  }

  async #write(text: string): Promise<void> {
    const temp = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.tmp`);
    try {
      const file = await open(temp, 'w');
      try {
        await file.writeFile(text, 'utf8');
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await rm(temp, { force: true });
      throw new Error(`cannot write data file ${this.path}`, { cause: error });
    }
    await syncDirectory(dirname(this.path));
  }
}

async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
  } finally {
    await dir.close();
  }
}
