// The Imply releases the emulator offers: `spec.version` must be one of them [ours]. An explicit
// list, not a pattern, so a well-formed but unknown version (e.g. `1999.01`) is refused by the API
// while the Kubernetes CRD schema accepts it.
import type { ErrorDetail } from '../schema/index.js';
import { isJsonObject } from './merge-patch.js';

/** Releases offered by default: every monthly release from `2021.01` to `2025.12`. */
export const defaultVersions: readonly string[] = Array.from({ length: 5 * 12 }, (_, i) => `${2021 + Math.floor(i / 12)}.${String((i % 12) + 1).padStart(2, '0')}`);

/** The runtime list of available releases (changed through `PUT /_emulator/config`). */
export class ReleaseCatalog {
  #versions: string[];

  constructor(versions: readonly string[] = defaultVersions) {
    this.#versions = normalized(versions);
  }

  /** The available releases, in the order given (duplicates dropped). */
  get versions(): string[] {
    return [...this.#versions];
  }

  set versions(versions: readonly string[]) {
    this.#versions = normalized(versions);
  }

  /** True when `version` is offered. */
  has(version: string): boolean {
    return this.#versions.includes(version);
  }

  /** The `spec.version` problem of a request body, if its version is a string that is not offered. */
  problemsOf(body: unknown): ErrorDetail[] {
    const spec = isJsonObject(body) ? body['spec'] : undefined;
    const version = isJsonObject(spec) ? spec['version'] : undefined;
    if (typeof version !== 'string' || this.has(version)) return [];
    return [{ code: 'InvalidValue', target: 'spec.version', message: `Version [${version}] is not available` }];
  }
}

function normalized(versions: readonly string[]): string[] {
  if (versions.length === 0) throw new RangeError('at least one version must be available');
  return [...new Set(versions)];
}
