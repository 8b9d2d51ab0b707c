import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../support/manual-clock.js';

describe('ManualClock', () => {
  it('fires due timers in order, including ones scheduled by fired callbacks', async () => {
    const clock = new ManualClock(1000);
    const fired: string[] = [];
    clock.schedule(20, () => fired.push(`b@${clock.now()}`));
    clock.schedule(10, () => {
      fired.push(`a@${clock.now()}`);
      clock.schedule(5, () => fired.push(`c@${clock.now()}`));
    });
    const cancel = clock.schedule(15, () => fired.push('cancelled'));
    cancel();
    await clock.advance(30);
    expect(fired).toEqual(['a@1010', 'c@1015', 'b@1020']);
    expect(clock.now()).toBe(1030);
  });

  it('lets promise chains progress between timers', async () => {
    const clock = new ManualClock();
    const steps: number[] = [];
    void (async () => {
      await clock.sleep(10);
      steps.push(clock.now());
      await clock.sleep(10);
      steps.push(clock.now());
    })();
    await clock.advance(25);
    expect(steps).toEqual([10, 20]);
  });

  it('rejects sleep with the abort reason', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(100, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pendingTimers()).toBe(0);
  });
});
