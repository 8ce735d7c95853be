import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lease, Queue, QueuePush } from '../queue/queue.js';
import { T0 } from './fixtures.js';
import { seededRandom } from './seeded-random.js';

const Q = 'contract_queue';
const LEASE_MS = 30_000;

/** A push to queue `Q` (or `queue`). */
function message(id: string, visibleAt = T0, priority?: number, queue = Q): QueuePush {
  return priority === undefined ? { queue, id, visibleAt } : { queue, id, visibleAt, priority };
}

function ids(leases: readonly Lease[]): string[] {
  return leases.map((l) => l.id);
}

interface ModelMessage {
  id: string;
  priority: number;
  visibleAt: number;
  order: number;
}

/** The documented poll order: higher priority, then earlier visibleAt, then first pushed. */
function pollOrder(a: ModelMessage, b: ModelMessage): number {
  return b.priority - a.priority || a.visibleAt - b.visibleAt || a.order - b.order;
}

/**
 * Registers the shared {@link Queue} contract suite with vitest. Adapter authors call it from a test file so their
 * adapter runs exactly the checks the built-in ones run:
 *
 * ```ts
 * import { describeQueueContract } from 'baton-engine/testing';
 * describeQueueContract('redis', () => new RedisQueue({ client, prefix: `t${Date.now()}` }));
 * ```
 *
 * Each test calls `makeQueue` for a fresh, empty queue and closes it afterwards. Time is passed in as `now`
 * (from a fixed epoch; it never goes backwards within a test), so the suite needs no clock. It pins visibility
 * (`visibleAt <= now`), poll order (priority, then `visibleAt`, then push order), leases and their tokens,
 * upserts and `keepEarlier`, removal, `apply`, `sizes` and `nextVisibleAt`.
 *
 * @param name label of the suite (the backend's name)
 * @param makeQueue returns a new, empty queue
 */
export function describeQueueContract(name: string, makeQueue: () => Queue | Promise<Queue>): void {
  describe(`${name}: queue contract`, () => {
    let queue: Queue;
    /** The queue to close after the test: unset when `makeQueue` failed. */
    let opened: Queue | undefined;

    beforeEach(async () => {
      opened = undefined;
      queue = await makeQueue();
      opened = queue;
    });

    afterEach(async () => {
      await opened?.close();
    });

    function poll(now: number, count = 100, leaseMs = LEASE_MS, name = Q): Promise<Lease[]> {
      return queue.poll(name, { count, now, leaseMs });
    }

    async function pollIds(now: number, count = 100, name = Q): Promise<string[]> {
      return ids(await poll(now, count, LEASE_MS, name));
    }

    async function pollOne(now: number, leaseMs = LEASE_MS): Promise<Lease> {
      const leases = await poll(now, 1, leaseMs);
      expect(leases, `expected one message visible at T0+${now - T0}`).toHaveLength(1);
      return leases[0];
    }

    describe('push and poll', () => {
      it('returns a lease with queue, id, token and priority (0 by default)', async () => {
        await queue.push([message('a'), message('b', T0, 7)]);
        const leases = await poll(T0);
        expect(leases).toHaveLength(2);
        expect(leases).toEqual([
          { queue: Q, id: 'b', token: expect.any(String), priority: 7 },
          { queue: Q, id: 'a', token: expect.any(String), priority: 0 },
        ]);
        expect(leases[0].token).not.toBe('');
        expect(leases[0].token).not.toBe(leases[1].token);
      });

      it('returns [] for an unknown queue and for an empty one', async () => {
        expect(await poll(T0, 10, LEASE_MS, 'unknown')).toEqual([]);
        await queue.push([message('a')]);
        expect(await pollIds(T0)).toEqual(['a']);
        expect(await poll(T0)).toEqual([]);
      });

      it('does not return a message before its visibleAt, and returns it at exactly visibleAt', async () => {
        await queue.push([message('later', T0 + 1000)]);
        expect(await pollIds(T0)).toEqual([]);
        expect(await pollIds(T0 + 999)).toEqual([]);
        expect(await pollIds(T0 + 1000)).toEqual(['later']);
      });

      it('returns a message whose visibleAt is long past', async () => {
        await queue.push([message('old', T0 - 86_400_000)]);
        expect(await pollIds(T0)).toEqual(['old']);
      });

      it('returns at most count messages per poll', async () => {
        await queue.push(['a', 'b', 'c', 'd', 'e'].map((id) => message(id)));
        expect(await pollIds(T0, 2)).toEqual(['a', 'b']);
        expect(await pollIds(T0, 1)).toEqual(['c']);
        expect(await pollIds(T0, 10)).toEqual(['d', 'e']);
        expect(await pollIds(T0, 10)).toEqual([]);
      });
    });

    describe('poll order', () => {
      it('serves higher priority first among visible messages', async () => {
        await queue.push([message('p0', T0, 0), message('p99', T0 + 5, 99), message('p50', T0 + 1, 50)]);
        expect(await pollIds(T0 + 10)).toEqual(['p99', 'p50', 'p0']);
      });

      it('does not serve a higher-priority message before it is visible', async () => {
        await queue.push([message('low', T0, 0), message('high', T0 + 100, 99)]);
        expect(await pollIds(T0 + 99, 1)).toEqual(['low']);
        expect(await pollIds(T0 + 100, 1)).toEqual(['high']);
      });

      it('serves earlier visibleAt first within a priority', async () => {
        await queue.push([message('c', T0 + 30), message('a', T0 + 10), message('b', T0 + 20)]);
        expect(await pollIds(T0 + 30)).toEqual(['a', 'b', 'c']);
      });

      it('serves first pushed first within a priority and visibleAt, across push calls', async () => {
        await queue.push([message('first', T0, 3), message('second', T0, 3)]);
        await queue.push([message('third', T0, 3)]);
        await queue.push([message('fourth', T0, 3)]);
        expect(await pollIds(T0, 2)).toEqual(['first', 'second']);
        expect(await pollIds(T0, 2)).toEqual(['third', 'fourth']);
      });

      it('polls 1,000 messages with random priorities and visibleAt in the documented order', async () => {
        const random = seededRandom(20_240_601);
        const pick = (n: number) => Math.floor(random() * n);
        const all: ModelMessage[] = Array.from({ length: 1000 }, (_, i) => ({
          id: `m${String(i).padStart(4, '0')}`,
          priority: pick(10) * 11, // 0, 11, …, 99: many ties, so visibleAt and push order decide too
          visibleAt: T0 + pick(10) * 100,
          order: 0,
        }));
        for (let i = all.length - 1; i > 0; i--) {
          const j = pick(i + 1);
          [all[i], all[j]] = [all[j], all[i]];
        }
        all.forEach((m, order) => {
          m.order = order;
        });
        for (let start = 0; start < all.length; ) {
          const end = Math.min(all.length, start + 1 + pick(50));
          await queue.push(all.slice(start, end).map((m) => message(m.id, m.visibleAt, m.priority)));
          start = end;
        }
        expect(await queue.sizes([Q])).toEqual({ [Q]: 1000 });

        let waiting = all.slice();
        let now = T0 - 50;
        while (waiting.length > 0) {
          now += pick(120);
          const count = 1 + pick(40);
          const expected = waiting
            .filter((m) => m.visibleAt <= now)
            .sort(pollOrder)
            .slice(0, count);
          const leases = await poll(now, count);
          expect(ids(leases), `poll at T0+${now - T0}, count ${count}`).toEqual(expected.map((m) => m.id));
          expect(leases.map((l) => l.priority)).toEqual(expected.map((m) => m.priority));
          for (const lease of leases) expect(await queue.ack(lease)).toBe(true);
          const taken = new Set(expected.map((m) => m.id));
          waiting = waiting.filter((m) => !taken.has(m.id));
          const earliest = waiting.length === 0 ? null : Math.min(...waiting.map((m) => m.visibleAt));
          expect(await queue.nextVisibleAt([Q])).toBe(earliest);
        }
        expect(await queue.sizes([Q])).toEqual({ [Q]: 0 });
        expect(await queue.nextVisibleAt([Q])).toBeNull();
      });

      it('polls 1,000 visible messages in one call fully sorted', async () => {
        const random = seededRandom(7);
        const all: ModelMessage[] = Array.from({ length: 1000 }, (_, order) => ({
          id: `m${order}`,
          priority: Math.floor(random() * 100),
          visibleAt: T0 + Math.floor(random() * 50),
          order,
        }));
        await queue.push(all.map((m) => message(m.id, m.visibleAt, m.priority)));
        const expected = all.slice().sort(pollOrder);
        expect(await pollIds(T0 + 50, 1000)).toEqual(expected.map((m) => m.id));
      });
    });

    describe('leases', () => {
      it('hides a leased message until now + leaseMs and shows it again at exactly that instant', async () => {
        await queue.push([message('a')]);
        await pollOne(T0 + 100, 1000);
        expect(await pollIds(T0 + 100)).toEqual([]);
        expect(await pollIds(T0 + 1099)).toEqual([]);
        expect(await pollIds(T0 + 1100)).toEqual(['a']);
      });

      it('acks a message: true, it is gone, and a second ack is false', async () => {
        await queue.push([message('a')]);
        const lease = await pollOne(T0);
        expect(await queue.ack(lease)).toBe(true);
        expect(await queue.ack(lease)).toBe(false);
        expect(await pollIds(T0 + LEASE_MS * 10)).toEqual([]);
        expect(await queue.sizes([Q])).toEqual({ [Q]: 0 });
      });

      it('after a lapsed lease is re-polled, the old lease cannot ack and the new one can', async () => {
        await queue.push([message('a')]);
        const first = await pollOne(T0, 1000);
        const second = await pollOne(T0 + 1000, 1000);
        expect(second.id).toBe('a');
        expect(second.token).not.toBe(first.token);
        expect(await queue.ack(first)).toBe(false);
        expect(await pollIds(T0 + 1500)).toEqual([]);
        expect(await queue.ack(second)).toBe(true);
        expect(await pollIds(T0 + 5000)).toEqual([]);
      });

      it('refuses an ack with a wrong token and keeps the message leased', async () => {
        await queue.push([message('a')]);
        const lease = await pollOne(T0, 1000);
        expect(await queue.ack({ ...lease, token: `${lease.token}-forged` })).toBe(false);
        expect(await queue.ack({ ...lease, queue: 'other_queue' })).toBe(false);
        expect(await pollIds(T0 + 999)).toEqual([]);
        expect(await queue.ack(lease)).toBe(true);
      });

      it('refuses an ack for a message that is not there', async () => {
        expect(await queue.ack({ queue: Q, id: 'ghost', token: 'token', priority: 0 })).toBe(false);
      });
    });

    describe('upserts', () => {
      it('replaces a message pushed again under the same id (no duplicate)', async () => {
        await queue.push([message('a', T0, 1)]);
        await queue.push([message('a', T0, 9)]);
        expect(await queue.sizes([Q])).toEqual({ [Q]: 1 });
        const leases = await poll(T0);
        expect(leases).toHaveLength(1);
        expect(leases[0]).toMatchObject({ id: 'a', priority: 9 });
        expect(await poll(T0 + LEASE_MS - 1)).toEqual([]);
      });

      it('replaces visibleAt with a later one on a plain push', async () => {
        await queue.push([message('a', T0)]);
        await queue.push([message('a', T0 + 5000)]);
        expect(await pollIds(T0 + 4999)).toEqual([]);
        expect(await pollIds(T0 + 5000)).toEqual(['a']);
      });

      it('replaces visibleAt with an earlier one on a plain push', async () => {
        await queue.push([message('a', T0 + 5000)]);
        await queue.push([message('a', T0 + 1000)]);
        expect(await pollIds(T0 + 1000)).toEqual(['a']);
      });

      it('keeps the earlier visibleAt with keepEarlier', async () => {
        await queue.push([message('early', T0 + 1000), message('late', T0 + 5000)]);
        await queue.push([
          { ...message('early', T0 + 5000), keepEarlier: true },
          { ...message('late', T0 + 1000), keepEarlier: true },
        ]);
        expect(await pollIds(T0 + 999)).toEqual([]);
        expect(await pollIds(T0 + 1000)).toEqual(['early', 'late']);
        expect(await queue.sizes([Q])).toEqual({ [Q]: 0 });
      });

      it('pushes a new message normally with keepEarlier', async () => {
        await queue.push([{ ...message('a', T0 + 300), keepEarlier: true }]);
        expect(await pollIds(T0 + 299)).toEqual([]);
        expect(await pollIds(T0 + 300)).toEqual(['a']);
      });

      it('makes a leased message waiting again when it is pushed; the old lease is lost', async () => {
        await queue.push([message('a')]);
        const lease = await pollOne(T0);
        expect(await queue.sizes([Q])).toEqual({ [Q]: 0 });
        await queue.push([message('a', T0 + 10)]);
        expect(await queue.sizes([Q])).toEqual({ [Q]: 1 });
        expect(await queue.ack(lease)).toBe(false);
        expect(await pollIds(T0 + 9)).toEqual([]);
        const again = await pollOne(T0 + 10);
        expect(again.id).toBe('a');
        expect(await queue.ack(again)).toBe(true);
      });
    });

    describe('remove and apply', () => {
      it('removes waiting and leased messages and ignores unknown ids', async () => {
        await queue.push([message('waiting'), message('leased', T0, 9), message('kept')]);
        const lease = await pollOne(T0);
        expect(lease.id).toBe('leased');
        await queue.remove(Q, ['waiting', 'leased', 'unknown']);
        await queue.remove('unknown_queue', ['kept']);
        expect(await queue.ack(lease)).toBe(false);
        expect(await queue.sizes([Q])).toEqual({ [Q]: 1 });
        expect(await pollIds(T0 + LEASE_MS)).toEqual(['kept']);
      });

      it('can push a removed id again', async () => {
        await queue.push([message('a', T0 + 100)]);
        await queue.remove(Q, ['a']);
        await queue.push([message('a', T0 + 200)]);
        expect(await pollIds(T0 + 199)).toEqual([]);
        expect(await pollIds(T0 + 200)).toEqual(['a']);
      });

      it('applies pushes and removes in the given order', async () => {
        await queue.push([message('old')]);
        await queue.apply([
          { op: 'push', ...message('a') },
          { op: 'push', ...message('b') },
          { op: 'remove', queue: Q, id: 'a' },
          { op: 'remove', queue: Q, id: 'old' },
          { op: 'remove', queue: Q, id: 'c' },
          { op: 'push', ...message('c') },
          { op: 'remove', queue: Q, id: 'unknown' },
          { op: 'push', ...message('d', T0, 5, 'other_queue') },
        ]);
        expect(await queue.sizes([Q, 'other_queue'])).toEqual({ [Q]: 2, other_queue: 1 });
        expect(await pollIds(T0)).toEqual(['b', 'c']);
        expect(await pollIds(T0, 10, 'other_queue')).toEqual(['d']);
      });

      it('applies keepEarlier and priority in pushes', async () => {
        await queue.push([message('a', T0 + 100)]);
        await queue.apply([{ op: 'push', ...message('a', T0 + 900, 4), keepEarlier: true }]);
        const lease = await pollOne(T0 + 100);
        expect(lease).toMatchObject({ id: 'a', priority: 4 });
      });

      it('accepts an empty apply and an empty push', async () => {
        await queue.apply([]);
        await queue.push([]);
        expect(await queue.sizes()).toEqual({});
      });
    });

    describe('sizes', () => {
      it('counts waiting messages, visible or delayed, but not leased ones; every requested key is present', async () => {
        await queue.push([message('a'), message('b'), message('delayed', T0 + 60_000)]);
        await queue.push([message('x', T0, 0, 'q2')]);
        await pollOne(T0);
        expect(await queue.sizes([Q, 'q2', 'empty'])).toEqual({ [Q]: 2, q2: 1, empty: 0 });
        expect(await queue.sizes(['empty'])).toEqual({ empty: 0 });
        expect(await queue.sizes([])).toEqual({});
      });

      it('lists only non-empty queues when called without names', async () => {
        expect(await queue.sizes()).toEqual({});
        await queue.push([message('a'), message('b', T0 + 60_000), message('x', T0, 0, 'q2')]);
        await queue.push([message('y', T0, 0, 'q3')]);
        expect(await queue.sizes()).toEqual({ [Q]: 2, q2: 1, q3: 1 });
        await queue.remove('q2', ['x']);
        const lease = (await poll(T0, 1, LEASE_MS, 'q3'))[0];
        expect(await queue.sizes()).toEqual({ [Q]: 2 });
        expect(await queue.ack(lease)).toBe(true);
        expect(await queue.sizes()).toEqual({ [Q]: 2 });
      });

      it('does not double-count a message pushed again', async () => {
        await queue.push([
          message('a'),
          message('a', T0 + 5),
          { ...message('a', T0 + 9), keepEarlier: true },
        ]);
        await queue.apply([{ op: 'push', ...message('a') }]);
        expect(await queue.sizes([Q])).toEqual({ [Q]: 1 });
      });
    });

    describe('independent queues', () => {
      it('keeps messages with the same id in different queues apart', async () => {
        await queue.push([message('same', T0, 1, 'q1'), message('same', T0 + 500, 2, 'q2')]);
        expect(await pollIds(T0, 10, 'q2')).toEqual([]);
        const lease = (await poll(T0, 10, LEASE_MS, 'q1'))[0];
        expect(lease).toMatchObject({ queue: 'q1', id: 'same', priority: 1 });
        expect(await queue.ack(lease)).toBe(true);
        expect(await queue.sizes(['q1', 'q2'])).toEqual({ q1: 0, q2: 1 });
        await queue.remove('q1', ['same']);
        expect(await poll(T0 + 500, 10, LEASE_MS, 'q2')).toEqual([
          { queue: 'q2', id: 'same', token: expect.any(String), priority: 2 },
        ]);
      });

      it('does not let a lease of one queue ack the same id in another', async () => {
        await queue.push([message('same', T0, 0, 'q1'), message('same', T0, 0, 'q2')]);
        const lease = (await poll(T0, 1, LEASE_MS, 'q1'))[0];
        expect(await queue.ack({ ...lease, queue: 'q2' })).toBe(false);
        expect(await queue.sizes(['q2'])).toEqual({ q2: 1 });
      });
    });

    describe('nextVisibleAt', () => {
      it('is null when there are no messages (or no such queues)', async () => {
        expect(await queue.nextVisibleAt()).toBeNull();
        expect(await queue.nextVisibleAt([Q, 'unknown'])).toBeNull();
        await queue.push([message('a', T0, 0, 'elsewhere')]);
        expect(await queue.nextVisibleAt([Q])).toBeNull();
        expect(await queue.nextVisibleAt([])).toBeNull();
      });

      it('is the earliest visibleAt over the given queues, or over all queues when omitted', async () => {
        await queue.push([
          message('a', T0 + 300),
          message('b', T0 + 200, 0, 'q2'),
          message('c', T0 + 100, 0, 'q3'),
        ]);
        expect(await queue.nextVisibleAt()).toBe(T0 + 100);
        expect(await queue.nextVisibleAt([Q, 'q2'])).toBe(T0 + 200);
        expect(await queue.nextVisibleAt([Q])).toBe(T0 + 300);
        expect(await queue.nextVisibleAt(['q3', 'unknown'])).toBe(T0 + 100);
      });

      it('counts messages that are visible already, whatever their priority', async () => {
        await queue.push([message('low', T0, 0), message('high', T0 + 10, 9), message('high2', T0 + 20, 9)]);
        expect(await pollIds(T0 + 30, 1)).toEqual(['high']);
        expect(await queue.nextVisibleAt([Q])).toBe(T0);
      });

      it('counts a message pushed after a poll with an earlier visibleAt than the ones left', async () => {
        await queue.push([message('high', T0, 9), message('low', T0 + 100, 0)]);
        expect(await pollIds(T0 + 100, 1)).toEqual(['high']);
        await queue.push([message('late-push', T0 + 50)]);
        expect(await queue.nextVisibleAt([Q])).toBe(T0 + 50);
      });

      it('follows replaced, removed and acked messages', async () => {
        await queue.push([message('a', T0 + 100), message('b', T0 + 500)]);
        await queue.push([message('a', T0 + 900)]);
        expect(await queue.nextVisibleAt([Q])).toBe(T0 + 500);
        await queue.push([{ ...message('a', T0 + 50), keepEarlier: true }]);
        expect(await queue.nextVisibleAt([Q])).toBe(T0 + 50);
        await queue.remove(Q, ['a']);
        expect(await queue.nextVisibleAt([Q])).toBe(T0 + 500);
        const lease = await pollOne(T0 + 500);
        expect(await queue.ack(lease)).toBe(true);
        expect(await queue.nextVisibleAt([Q])).toBeNull();
      });

      it('is the lease expiry of a leased message', async () => {
        await queue.push([message('a', T0), message('later', T0 + 60_000)]);
        await pollOne(T0 + 10, 1000);
        expect(await queue.nextVisibleAt([Q])).toBe(T0 + 1010);
        expect(await queue.nextVisibleAt()).toBe(T0 + 1010);
      });

      it('follows a leased message that is pushed again', async () => {
        await queue.push([message('a')]);
        await pollOne(T0, 1000);
        await queue.push([message('a', T0 + 5000)]);
        expect(await queue.nextVisibleAt([Q])).toBe(T0 + 5000);
      });
    });
  });
}
