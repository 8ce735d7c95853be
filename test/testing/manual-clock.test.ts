import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { T0 } from '../../src/testing/fixtures.js';
import { ManualClock } from '../../src/testing/manual-clock.js';

/** Records what fired and when, as `name@offset` from T0. */
function recorder(clock: ManualClock) {
  const fired: string[] = [];
  const at = (name: string) => () => {
    fired.push(`${name}@${clock.now() - T0}`);
  };
  return { fired, at };
}

describe('ManualClock', () => {
  it('starts at the real time by default and does not move on its own', async () => {
    const before = Date.now();
    const clock = new ManualClock();
    const after = Date.now();
    expect(clock.now()).toBeGreaterThanOrEqual(before);
    expect(clock.now()).toBeLessThanOrEqual(after);
    const start = clock.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(clock.now()).toBe(start);
  });

  it('starts at the given instant', () => {
    expect(new ManualClock(T0).now()).toBe(T0);
  });

  it('throws RangeError when set() would move backwards, and keeps its time', async () => {
    const clock = new ManualClock(T0);
    const error = await Promise.resolve()
      .then(() => clock.set(T0 - 1))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(RangeError);
    expect(clock.now()).toBe(T0);
  });

  it('set() moves forward (to the same instant too) and fires due timers', async () => {
    const clock = new ManualClock(T0);
    const { fired, at } = recorder(clock);
    clock.setTimer(T0 + 500, at('a'));
    await clock.set(T0);
    expect(clock.now()).toBe(T0);
    await clock.set(T0 + 1000);
    expect(fired).toEqual(['a@500']);
    expect(clock.now()).toBe(T0 + 1000);
  });

  it('ends an advance at start + ms, with or without timers', async () => {
    const clock = new ManualClock(T0);
    await clock.advance(250);
    expect(clock.now()).toBe(T0 + 250);
    clock.setTimer(T0 + 300, () => {});
    await clock.advance(1000);
    expect(clock.now()).toBe(T0 + 1250);
    await clock.advance(0);
    expect(clock.now()).toBe(T0 + 1250);
  });

  it('fires due timers in due order, each seeing now() at its own due time', async () => {
    const clock = new ManualClock(T0);
    const { fired, at } = recorder(clock);
    clock.setTimer(T0 + 300, at('c'));
    clock.setTimer(T0 + 100, at('a'));
    clock.setTimer(T0 + 200, at('b'));
    await clock.advance(1000);
    expect(fired).toEqual(['a@100', 'b@200', 'c@300']);
  });

  it('fires timers due at the same instant in the order they were set', async () => {
    const clock = new ManualClock(T0);
    const { fired, at } = recorder(clock);
    clock.setTimer(T0 + 100, at('first'));
    clock.setTimer(T0 + 100, at('second'));
    clock.setTimer(T0 + 100, at('third'));
    await clock.advance(100);
    expect(fired).toEqual(['first@100', 'second@100', 'third@100']);
  });

  it('fires a timer due exactly at the end of the window, and not one due after it', async () => {
    const clock = new ManualClock(T0);
    const { fired, at } = recorder(clock);
    clock.setTimer(T0 + 1000, at('edge'));
    clock.setTimer(T0 + 1001, at('beyond'));
    await clock.advance(1000);
    expect(fired).toEqual(['edge@1000']);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(1);
    expect(fired).toEqual(['edge@1000', 'beyond@1001']);
  });

  it('fires in the same advance a timer set by a callback for an instant inside the window', async () => {
    const clock = new ManualClock(T0);
    const { fired, at } = recorder(clock);
    clock.setTimer(T0 + 100, () => {
      at('outer')();
      clock.setTimer(T0 + 150, at('inner'));
      clock.setTimer(T0 + 100, at('same-instant'));
      clock.setTimer(T0 + 5000, at('outside'));
    });
    clock.setTimer(T0 + 200, at('later'));
    await clock.advance(1000);
    expect(fired).toEqual(['outer@100', 'same-instant@100', 'inner@150', 'later@200']);
    expect(clock.now()).toBe(T0 + 1000);
    expect(clock.pendingTimers).toBe(1);
  });

  it("awaits a timer's returned promise before firing the next timer", async () => {
    const clock = new ManualClock(T0);
    const { fired, at } = recorder(clock);
    clock.setTimer(T0 + 100, async () => {
      at('slow-start')();
      await nextMacrotask();
      await nextMacrotask();
      at('slow-end')();
    });
    clock.setTimer(T0 + 100, at('next'));
    clock.setTimer(T0 + 200, at('later'));
    await clock.advance(200);
    expect(fired).toEqual(['slow-start@100', 'slow-end@100', 'next@100', 'later@200']);
  });

  it('does not fire a cleared timer', async () => {
    const clock = new ManualClock(T0);
    const { fired, at } = recorder(clock);
    const cleared = clock.setTimer(T0 + 100, at('cleared'));
    clock.setTimer(T0 + 200, at('kept'));
    clock.clearTimer(cleared);
    await clock.advance(1000);
    expect(fired).toEqual(['kept@200']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not fire a timer cleared by an earlier timer in the same advance', async () => {
    const clock = new ManualClock(T0);
    const { fired, at } = recorder(clock);
    const victim = clock.setTimer(T0 + 200, at('victim'));
    clock.setTimer(T0 + 100, () => clock.clearTimer(victim));
    await clock.advance(1000);
    expect(fired).toEqual([]);
  });

  it('keeps firing later timers after one throws or rejects, and the advance resolves', async () => {
    const clock = new ManualClock(T0);
    const { fired, at } = recorder(clock);
    clock.setTimer(T0 + 100, () => {
      throw new Error('sync failure');
    });
    clock.setTimer(T0 + 200, async () => {
      throw new Error('async failure');
    });
    clock.setTimer(T0 + 300, at('survivor'));
    await expect(clock.advance(1000)).resolves.toBeUndefined();
    expect(fired).toEqual(['survivor@300']);
    expect(clock.now()).toBe(T0 + 1000);
  });

  it('fires a timer due in the past on the next advance without moving time backwards', async () => {
    const clock = new ManualClock(T0);
    const { fired, at } = recorder(clock);
    clock.setTimer(T0 - 500, at('overdue'));
    await clock.advance(0);
    expect(fired).toEqual(['overdue@0']);
  });

  it('runs overlapping advances one after the other', async () => {
    const clock = new ManualClock(T0);
    const { fired, at } = recorder(clock);
    clock.setTimer(T0 + 100, at('a'));
    clock.setTimer(T0 + 250, at('b'));
    await Promise.all([clock.advance(200), clock.advance(100)]);
    expect(fired).toEqual(['a@100', 'b@250']);
    expect(clock.now()).toBe(T0 + 300);
  });
});
