// A small seeded PRNG (mulberry32), so ids and fault decisions repeat for a given --seed.

/** Deterministic pseudo-random numbers from a 32-bit seed; its state can be saved and restored. */
export class SeededRandom {
  #state: number;

  /** `seed`: any integer; only its low 32 bits matter. */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** The internal state, to persist and later pass to `new SeededRandom(state)`. */
  get state(): number {
    return this.#state;
  }

  /** A copy that continues the same sequence without advancing this one (dry runs). */
  clone(): SeededRandom {
    return new SeededRandom(this.#state);
  }

  /** The next number in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, bound). */
  int(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** `length` lowercase hex digits. */
  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += this.int(16).toString(16);
    return out;
  }

  /** A version-4-shaped UUID. */
  uuid(): string {
    const variant = (8 + this.int(4)).toString(16);
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
  }

  /** An EC2-style instance id: `i-` and 17 hex digits. */
  instanceId(): string {
    return `i-${this.hex(17)}`;
  }

  /** A private IPv4 address in 10.0.0.0/8. */
  privateIp(): string {
    return `10.${this.int(256)}.${this.int(256)}.${1 + this.int(254)}`;
  }
}
