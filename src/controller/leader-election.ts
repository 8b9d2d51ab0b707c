// Leader election on a LeaseLock with client-go's semantics: a lease counts as expired only after it
// has not changed for its duration as measured on OUR clock since we saw it change (never by
// comparing remote timestamps, so clock skew between replicas does not matter); the leader renews
// every retry period and gives up once no renewal succeeded for the renew deadline. Fencing is
// confirmLeadership(): true only while the last successful renewal is younger than the deadline.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import { SystemClock, type CancelTimer, type Clock } from './clock.js';
import { LeaderElectionError } from './leader-election-error.js';
import { isSameLeaseRecord, type LeaseLock, type LeaseRecord, type StoredLease } from './lease-lock.js';

/** Why a leader stopped leading: renewals failed or another holder appeared, release(), or stop(). */
export type StoppedLeadingReason = 'lost' | 'released' | 'stopped';

/** Optional callbacks a metrics exporter implements (leader_election_master_status). */
export interface LeaderElectionMetrics {
  /** This elector started (true) or stopped (false) leading. */
  leading?(isLeading: boolean): void;
}

/** Options of LeaderElector. */
export interface LeaderElectorOptions {
  /** The lease to compete for (KubeLeaseLock in production). */
  lock: LeaseLock;
  /** Unique identity of this candidate, written as holderIdentity; see defaultLeaderIdentity(). */
  identity: string;
  /** How long a lease stays valid after it last changed, in ms; non-leaders wait this long. Default 15_000. */
  leaseDurationMs?: number;
  /** How long the leader keeps leading without a successful renewal, in ms. Default 10_000. */
  renewDeadlineMs?: number;
  /** Interval between acquire and renew attempts, in ms. Default 2_000. */
  retryPeriodMs?: number;
  /** Clock for timers and observation times. Default SystemClock. */
  clock?: Clock;
  /** Logger for acquisitions, losses and failed attempts. Default silent. */
  logger?: Logger;
  /** Called once when this elector becomes the leader. */
  onStartedLeading?: () => void;
  /** Called once when a leader stops leading (fencing is already false), with the reason; not if it never led. */
  onStoppedLeading?: (reason: StoppedLeadingReason) => void;
  /** Called whenever the observed holder changes ('' when released). */
  onNewLeader?: (identity: string) => void;
  /** Metrics callbacks. Default none. */
  metrics?: LeaderElectionMetrics;
}

type State = 'idle' | 'candidate' | 'leading' | 'stopped';
type AttemptResult = 'acquired' | 'heldByOther' | 'failed';

/** `${hostname}_${uuid}`, like controller-runtime: unique per process, so a restart never inherits a lease. */
export function defaultLeaderIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

/** Competes for one lease; start() once, then stop() (crash-like) or release() (graceful). */
export class LeaderElector {
  readonly #lock: LeaseLock;
  readonly #identity: string;
  readonly #leaseDurationMs: number;
  readonly #renewDeadlineMs: number;
  readonly #retryPeriodMs: number;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #options: LeaderElectorOptions;
  #state: State = 'idle';
  #term = 0;
  #observed: { lease: StoredLease; atMs: number } | undefined;
  #lastRenewAtMs = Number.NEGATIVE_INFINITY;
  #nextAttempt: CancelTimer | undefined;
  #deadline: CancelTimer | undefined;
  #inFlight: Promise<void> = Promise.resolve();
  #waiters: ((isLeading: boolean) => void)[] = [];

  constructor(options: LeaderElectorOptions) {
    this.#options = options;
    this.#lock = options.lock;
    this.#identity = options.identity;
    this.#leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.#renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.#retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.#clock = options.clock ?? new SystemClock();
    this.#log = (options.logger ?? pino({ enabled: false })).child({ lease: options.lock.description, identity: options.identity });
    if (this.#identity === '') throw new LeaderElectionError('InvalidOptions', 'identity must not be empty');
    if (!(this.#retryPeriodMs > 0 && this.#renewDeadlineMs > this.#retryPeriodMs && this.#leaseDurationMs > this.#renewDeadlineMs)) {
      throw new LeaderElectionError('InvalidOptions', 'need leaseDurationMs > renewDeadlineMs > retryPeriodMs > 0');
    }
  }

  /** This candidate's identity. */
  get identity(): string {
    return this.#identity;
  }

  /** Starts competing (first attempt at once); calling it again does nothing. */
  start(): void {
    if (this.#state !== 'idle') return;
    this.#state = 'candidate';
    this.#attempt();
  }

  /** True from acquiring until losing, releasing or stopping; use confirmLeadership() to fence writes. */
  isLeader(): boolean {
    return this.#state === 'leading';
  }

  /** The fence: true only if leading and the last successful renewal began less than renewDeadlineMs ago. No I/O. */
  confirmLeadership(): boolean {
    return this.#state === 'leading' && this.#clock.now() - this.#lastRenewAtMs < this.#renewDeadlineMs;
  }

  /** Throws LeaderElectionError `NotLeader` unless confirmLeadership(). */
  assertLeader(): void {
    if (!this.confirmLeadership()) throw new LeaderElectionError('NotLeader', 'this process does not hold the leader lease');
  }

  /** The holder we last observed ('' when released, undefined before the first read). */
  observedLeader(): string | undefined {
    return this.#observed?.lease.record.holderIdentity;
  }

  /** Resolves true once leading, or false if the elector stops first. */
  whenLeading(): Promise<boolean> {
    if (this.#state === 'leading') return Promise.resolve(true);
    if (this.#state === 'stopped') return Promise.resolve(false);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Stops competing without touching the lease (as a crash would): others take over after it expires. */
  stop(): void {
    this.#finish('stopped');
  }

  /**
   * Stops competing and, if the lease is still ours, empties holderIdentity (leaseDurationSeconds 1)
   * so a successor acquires at its next attempt (client-go's ReleaseOnCancel). Call it after the
   * work that needs leadership has drained. Resolves true when released; failures are logged.
   */
  async release(): Promise<boolean> {
    this.#finish('released');
    await this.#inFlight;
    try {
      const stored = await this.#lock.get();
      if (stored === undefined || stored.record.holderIdentity !== this.#identity) return false;
      const nowMs = this.#clock.now();
      const released: LeaseRecord = { ...stored.record, holderIdentity: '', leaseDurationSeconds: 1, acquireTimeMs: nowMs, renewTimeMs: nowMs };
      await this.#lock.replace(released, stored.resourceVersion);
      this.#log.info('leader lease released');
      return true;
    } catch (error) {
      this.#log.warn({ err: error }, 'cannot release leader lease');
      return false;
    }
  }

  #attempt(): void {
    const term = this.#term;
    const startedAtMs = this.#clock.now();
    this.#inFlight = this.#tryAcquireOrRenew()
      .then(
        (result) => this.#afterAttempt(term, result, startedAtMs),
        (error: unknown) => {
          if (term === this.#term) this.#log.warn({ err: error }, 'leader lease attempt failed');
          this.#afterAttempt(term, 'failed', startedAtMs);
        },
      )
      .catch((error: unknown) => this.#log.error({ err: error }, 'leader election callback failed'));
  }

  #afterAttempt(term: number, result: AttemptResult, startedAtMs: number): void {
    if (term !== this.#term) return;
    // A renewal counts from when it was sent: others saw the change no earlier than that.
    const isFresh = this.#clock.now() - startedAtMs < this.#renewDeadlineMs;
    if (result === 'acquired' && isFresh) {
      this.#lastRenewAtMs = Math.max(this.#lastRenewAtMs, startedAtMs);
      this.#armDeadline();
      if (this.#state === 'candidate') this.#startLeading();
    } else if (result === 'heldByOther' && this.#state === 'leading') {
      this.#lose('lease held by another identity');
      return;
    }
    if (term !== this.#term) return; // a callback stopped or released the elector
    this.#nextAttempt = this.#clock.schedule(this.#retryPeriodMs, () => this.#attempt());
  }

  async #tryAcquireOrRenew(): Promise<AttemptResult> {
    const stored = await this.#lock.get();
    if (stored === undefined) {
      const created = await this.#lock.create(this.#recordFor(undefined));
      this.#observe(created);
      return 'acquired';
    }
    this.#observe(stored);
    const holder = stored.record.holderIdentity;
    if (holder !== '' && holder !== this.#identity && this.#isObservedLeaseValid()) return 'heldByOther';
    const written = await this.#lock.replace(this.#recordFor(stored.record), stored.resourceVersion);
    this.#observe(written);
    return 'acquired';
  }

  #recordFor(old: LeaseRecord | undefined): LeaseRecord {
    const nowMs = this.#clock.now();
    const isOurs = old?.holderIdentity === this.#identity;
    return {
      holderIdentity: this.#identity,
      leaseDurationSeconds: Math.ceil(this.#leaseDurationMs / 1000),
      acquireTimeMs: isOurs ? (old.acquireTimeMs ?? nowMs) : nowMs,
      renewTimeMs: nowMs,
      leaseTransitions: old === undefined ? 0 : old.leaseTransitions + (isOurs ? 0 : 1),
    };
  }

  // Restarts the expiry countdown only when the record changed: that is the clock-skew-safe rule.
  #observe(lease: StoredLease): void {
    const previous = this.#observed;
    if (previous !== undefined && isSameLeaseRecord(previous.lease.record, lease.record)) {
      this.#observed = { lease, atMs: previous.atMs };
      return;
    }
    this.#observed = { lease, atMs: this.#clock.now() };
    if (previous?.lease.record.holderIdentity !== lease.record.holderIdentity) this.#options.onNewLeader?.(lease.record.holderIdentity);
  }

  #isObservedLeaseValid(): boolean {
    if (this.#observed === undefined) return false;
    const seconds = this.#observed.lease.record.leaseDurationSeconds;
    const durationMs = seconds > 0 ? seconds * 1000 : this.#leaseDurationMs;
    return this.#observed.atMs + durationMs > this.#clock.now();
  }

  #armDeadline(): void {
    this.#deadline?.();
    const dueInMs = this.#lastRenewAtMs + this.#renewDeadlineMs - this.#clock.now();
    this.#deadline = this.#clock.schedule(dueInMs, () => this.#lose('renew deadline exceeded'));
  }

  #startLeading(): void {
    this.#state = 'leading';
    this.#log.info('leader lease acquired');
    this.#options.metrics?.leading?.(true);
    this.#settleWaiters(true);
    this.#options.onStartedLeading?.();
  }

  #lose(why: string): void {
    this.#log.warn({ why }, 'leader lease lost');
    this.#finish('lost');
  }

  #finish(reason: StoppedLeadingReason): void {
    if (this.#state === 'stopped') return;
    const wasLeading = this.#state === 'leading';
    this.#state = 'stopped';
    this.#term++;
    this.#nextAttempt?.();
    this.#deadline?.();
    this.#settleWaiters(false);
    if (!wasLeading) return;
    this.#options.metrics?.leading?.(false);
    this.#options.onStoppedLeading?.(reason);
  }

  #settleWaiters(isLeading: boolean): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve(isLeading);
  }
}
