import { describe, expect, it } from 'vitest';
import { MemoryQueue } from '../../src/queue/memory-queue.js';

const T0 = 1_700_000_000_000;
const poll = (queue: MemoryQueue, now: number, count = 10) =>
  queue.pollNow('q', { count, now, leaseMs: 1_000 });

// The decide queue re-pushes one message per workflow at every commit: the old heap entries are compacted away
// (not observable through the Queue API, so these tests check that behaviour survives many compactions).
describe('MemoryQueue: messages pushed again many times', () => {
  it('keeps the latest visibleAt of each message and delivers each once', () => {
    const queue = new MemoryQueue();
    for (let round = 1; round <= 500; round++) {
      for (const id of ['a', 'b', 'c']) queue.pushNow({ queue: 'q', id, visibleAt: T0 + round * 10 });
    }
    expect(queue.nextVisibleAtNow(['q'])).toBe(T0 + 5_000);
    expect(poll(queue, T0 + 4_999)).toEqual([]);
    expect(poll(queue, T0 + 5_000).map((l) => l.id)).toEqual(['a', 'b', 'c']);
    expect(poll(queue, T0 + 5_000)).toEqual([]);
  });

  it('a leased message still comes back when its lease lapses, across compactions', async () => {
    const queue = new MemoryQueue();
    queue.pushNow({ queue: 'q', id: 'leased', visibleAt: T0 });
    const [lease] = poll(queue, T0, 1);
    expect(lease.id).toBe('leased');
    for (let round = 1; round <= 500; round++)
      queue.pushNow({ queue: 'q', id: 'other', visibleAt: T0 + 10_000 + round });
    expect(poll(queue, T0 + 999)).toEqual([]);
    expect(queue.nextVisibleAtNow(['q'])).toBe(T0 + 1_000);
    const again = poll(queue, T0 + 1_000);
    expect(again.map((l) => l.id)).toEqual(['leased']);
    expect(await queue.ack(again[0])).toBe(true);
    expect(poll(queue, T0 + 10_500).map((l) => l.id)).toEqual(['other']);
  });

  it('a message exposed before a compaction is delivered once', () => {
    const queue = new MemoryQueue();
    queue.pushNow({ queue: 'q', id: 'ready', visibleAt: T0 });
    // Exposed (moved to the priority heap) by a poll that finds nothing to take.
    expect(poll(queue, T0, 0)).toEqual([]);
    expect(queue.nextVisibleAtNow(['q'])).toBe(T0);
    for (let round = 1; round <= 500; round++)
      queue.pushNow({ queue: 'q', id: 'other', visibleAt: T0 + 10_000 + round });
    expect(poll(queue, T0 + 1).map((l) => l.id)).toEqual(['ready']);
    expect(poll(queue, T0 + 1)).toEqual([]);
  });
});
