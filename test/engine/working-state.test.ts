import { describe, expect, it } from 'vitest';
import { DECIDE_QUEUE, WorkingState } from '../../src/engine/working-state.js';
import type { QueueOp } from '../../src/queue/queue.js';
import { makeWorkflow, T0 } from '../../src/testing/fixtures.js';

/** The decide-queue ops of a commit of a stored workflow with the given wakeups. */
function decideOps(wakeAt: number | null | undefined, earlyWakes: number[]): QueueOp[] {
  const state = new WorkingState({ workflow: makeWorkflow({ workflowId: 'wf' }), version: 3, tasks: [] });
  state.setWorkflow({ updateTime: T0 });
  state.wakeAt = wakeAt;
  state.earlyWakes.push(...earlyWakes);
  return state.toCommit(T0, () => true).queue.filter((op) => op.queue === DECIDE_QUEUE);
}

describe('WorkingState: the decide message of a commit', () => {
  it('no wakeup wanted: the message is removed', () => {
    expect(decideOps(null, [])).toEqual([{ op: 'remove', queue: DECIDE_QUEUE, id: 'wf' }]);
  });

  it('no decide wakeup but early wakes (a task just started): one push at the earliest, no remove', () => {
    expect(decideOps(null, [T0 + 300_000, T0 + 60_000])).toEqual([
      { op: 'push', queue: DECIDE_QUEUE, id: 'wf', visibleAt: T0 + 60_000 },
    ]);
  });

  it('a decide wakeup and early wakes: one push at the earliest of them', () => {
    expect(decideOps(T0 + 90_000, [T0 + 120_000])).toEqual([
      { op: 'push', queue: DECIDE_QUEUE, id: 'wf', visibleAt: T0 + 90_000 },
    ]);
    expect(decideOps(T0 + 90_000, [T0 + 30_000])).toEqual([
      { op: 'push', queue: DECIDE_QUEUE, id: 'wf', visibleAt: T0 + 30_000 },
    ]);
  });

  it('no decide ran (wakeAt undefined): early wakes only bring the stored wakeup forward', () => {
    expect(decideOps(undefined, [T0 + 5_000, T0 + 1_000])).toEqual([
      { op: 'push', queue: DECIDE_QUEUE, id: 'wf', visibleAt: T0 + 1_000, keepEarlier: true },
    ]);
    expect(decideOps(undefined, [])).toEqual([]);
  });
});
