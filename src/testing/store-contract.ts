import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatonError } from '../errors.js';
import type { Task } from '../model/task.js';
import type { TaskExecLog } from '../model/task-result.js';
import { MemoryQueue } from '../queue/memory-queue.js';
import type { Queue, QueueOp } from '../queue/queue.js';
import type { Store, WorkflowCommit } from '../store/store.js';
import { makeTask, makeWorkflow, T0 } from './fixtures.js';
import { expectBatonError, jsonCopy } from './store-contract-assertions.js';
import { describeDefinitionsContract } from './store-contract-definitions.js';
import { describeEventHandlerContract } from './store-contract-event-handlers.js';
import { describeIdempotencyContract } from './store-contract-idempotency.js';
import { describeJsonRoundTripContract } from './store-contract-json.js';
import { describeSearchContract } from './store-contract-search.js';

/** Options of {@link describeStoreContract}. */
export interface StoreContractOptions {
  /**
   * Makes the queue paired with the store (for instance one on the same database). It is called after
   * `makeStore` in the same test, so it may return the queue that belongs to the store just made, and it is
   * closed before the store. Give it only for a store that commits queue ops in its own transaction: the suite
   * then checks that `store.commitsQueue(queue)` is true, that the queue ops of a commit are written with it,
   * and that none are written when the commit fails.
   */
  readonly queue?: () => Queue | Promise<Queue>;
}

const WF = 'wf-1';

/** A task of workflow `WF` with its id, seq and reference name set. */
function task(taskId: string, seq: number, overrides: Partial<Task> = {}): Task {
  return makeTask({ taskId, seq, referenceTaskName: `ref_${taskId}`, workflowInstanceId: WF, ...overrides });
}

function taskIds(tasks: readonly Task[]): string[] {
  return tasks.map((t) => t.taskId);
}

/**
 * Registers the shared {@link Store} contract suite with vitest. Adapter authors call it from a test file so their
 * adapter runs exactly the checks the built-in ones run:
 *
 * ```ts
 * import { describeStoreContract } from 'baton-engine/testing';
 *
 * let db: Database;
 * describeStoreContract(
 *   'sqlite',
 *   () => new SqliteStore((db = openDatabase(':memory:'))),
 *   { queue: () => new SqliteQueue(db) }, // the queue on the store's database, committed with it
 * );
 * ```
 *
 * Each test calls `makeStore` for a fresh, empty store and closes it afterwards. The suite checks only what the
 * `Store` interface promises (definitions, atomic versioned commits, task order, logs, removal, JSON round
 * trips, error codes), never how an adapter keeps its data.
 *
 * @param name label of the suite (the backend's name)
 * @param makeStore returns a new, empty store
 * @param options `queue`: the queue paired with the store, to check queue ops written by `commit`
 */
export function describeStoreContract(
  name: string,
  makeStore: () => Store | Promise<Store>,
  options: StoreContractOptions = {},
): void {
  describe(`${name}: store contract`, () => {
    let store: Store;
    /** The store to close after the test: unset when `makeStore` failed. */
    let opened: Store | undefined;
    /** The queue from `options.queue`, once a test made it. */
    let queue: Queue | undefined;

    beforeEach(async () => {
      opened = undefined;
      queue = undefined;
      store = await makeStore();
      opened = store;
    });

    afterEach(async () => {
      await queue?.close();
      await opened?.close();
    });

    /** Creates `workflow` (expectedVersion 0) with `tasks` and queue ops; returns the new version. */
    function create(
      workflow = makeWorkflow(),
      tasks: Task[] = [],
      queueOps: QueueOp[] = [],
    ): Promise<number> {
      return store.commit({ workflow, expectedVersion: 0, tasks, queue: queueOps });
    }

    function commit(expectedVersion: number, fields: Partial<WorkflowCommit> = {}): Promise<number> {
      return store.commit({ workflow: makeWorkflow(), expectedVersion, tasks: [], queue: [], ...fields });
    }

    async function stored(workflowId = WF) {
      const found = await store.getWorkflow(workflowId);
      expect(found, `workflow ${workflowId} should exist`).not.toBeNull();
      return found!;
    }

    describeDefinitionsContract(() => store);

    describe('commit', () => {
      it('creates a workflow with expectedVersion 0 and returns version 1', async () => {
        const workflow = makeWorkflow();
        const tasks = [task('t1', 1), task('t2', 2)];
        expect(await create(workflow, tasks)).toBe(1);
        expect(await store.getWorkflow(WF)).toEqual({ workflow, version: 1, tasks });
      });

      it('increments the version by one with every commit', async () => {
        await create();
        expect(await commit(1, { workflow: makeWorkflow({ updateTime: T0 + 1 }) })).toBe(2);
        expect(await commit(2, { workflow: makeWorkflow({ updateTime: T0 + 2 }) })).toBe(3);
        const found = await stored();
        expect(found.version).toBe(3);
        expect(found.workflow.updateTime).toBe(T0 + 2);
      });

      it('replaces the workflow row with the committed one', async () => {
        await create();
        const completed = makeWorkflow({
          status: 'COMPLETED',
          output: { receipt: 'r-42' },
          endTime: T0 + 500,
          updateTime: T0 + 500,
        });
        await commit(1, { workflow: completed });
        expect((await stored()).workflow).toEqual(completed);
      });

      it('rejects a second create of the same id with VERSION_CONFLICT and writes nothing', async () => {
        const original = makeWorkflow();
        await create(original, [task('t1', 1)]);
        await expectBatonError(
          () =>
            create(makeWorkflow({ status: 'FAILED', input: { other: true } }), [
              task('t1', 1, { status: 'FAILED' }),
              task('t9', 9),
            ]),
          'VERSION_CONFLICT',
        );
        expect(await store.getWorkflow(WF)).toEqual({
          workflow: original,
          version: 1,
          tasks: [task('t1', 1)],
        });
        expect(await store.getTask('t9')).toBeNull();
      });

      it('rejects a stale expectedVersion with VERSION_CONFLICT and writes nothing at all', async () => {
        const workflow = makeWorkflow({ updateTime: T0 + 1 });
        const tasks = [task('t1', 1), task('t2', 2)];
        await create(makeWorkflow(), [task('t1', 1)]);
        await commit(1, { workflow, tasks: [task('t2', 2)] });

        await expectBatonError(
          () =>
            commit(1, {
              workflow: makeWorkflow({ status: 'TERMINATED', updateTime: T0 + 9 }),
              tasks: [task('t1', 1, { status: 'CANCELED' }), task('t3', 3)],
              removedTaskIds: ['t2'],
            }),
          'VERSION_CONFLICT',
        );

        expect(await store.getWorkflow(WF)).toEqual({ workflow, version: 2, tasks });
        expect(await store.getTask('t1')).toEqual(task('t1', 1));
        expect(await store.getTask('t2')).toEqual(task('t2', 2));
        expect(await store.getTask('t3')).toBeNull();
      });

      it('rejects an expectedVersion ahead of the stored one', async () => {
        await create();
        await expectBatonError(() => commit(5, { tasks: [task('t1', 1)] }), 'VERSION_CONFLICT');
        expect(await store.getWorkflow(WF)).toEqual({ workflow: makeWorkflow(), version: 1, tasks: [] });
      });

      it('rejects a non-zero expectedVersion for an unknown workflow and creates nothing', async () => {
        await expectBatonError(() => commit(1, { tasks: [task('t1', 1)] }), 'VERSION_CONFLICT');
        expect(await store.getWorkflow(WF)).toBeNull();
        expect(await store.getTask('t1')).toBeNull();
      });

      it('lets exactly one of several concurrent commits on the same version win', async () => {
        await create();
        const contenders = [1, 2, 3, 4, 5].map((n) => ({
          workflow: makeWorkflow({ updateTime: T0 + n }),
          task: task(`t${n}`, n),
        }));
        const results = await Promise.allSettled(
          contenders.map((c) => commit(1, { workflow: c.workflow, tasks: [c.task] })),
        );

        const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
        expect(winners).toHaveLength(1);
        expect(results[winners[0]]).toEqual({ status: 'fulfilled', value: 2 });
        for (const result of results) {
          if (result.status === 'rejected')
            expect(BatonError.is(result.reason, 'VERSION_CONFLICT')).toBe(true);
        }
        const winner = contenders[winners[0]];
        expect(await store.getWorkflow(WF)).toEqual({
          workflow: winner.workflow,
          version: 2,
          tasks: [winner.task],
        });
      });

      it('lets exactly one of several concurrent creates of the same id win', async () => {
        const results = await Promise.allSettled(
          [1, 2, 3].map((n) => create(makeWorkflow({ input: { n } }), [task(`t${n}`, 1)])),
        );
        const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i + 1] : []));
        expect(winners).toHaveLength(1);
        const found = await stored();
        expect(found.version).toBe(1);
        expect(found.workflow.input).toEqual({ n: winners[0] });
        expect(taskIds(found.tasks)).toEqual([`t${winners[0]}`]);
      });

      it('upserts tasks by taskId: a committed task replaces the stored one', async () => {
        await create(makeWorkflow(), [task('t1', 1), task('t2', 2)]);
        const done = task('t1', 1, {
          status: 'COMPLETED',
          outputData: { receipt: 'r-1' },
          endTime: T0 + 100,
          pollCount: 1,
          workerId: 'worker-a',
        });
        await commit(1, { tasks: [done] });
        expect((await stored()).tasks).toEqual([done, task('t2', 2)]);
        expect(await store.getTask('t1')).toEqual(done);
      });

      it('keeps tasks of earlier commits that a commit does not mention', async () => {
        await create(makeWorkflow(), [task('t1', 1)]);
        await commit(1, { tasks: [task('t2', 2)] });
        await commit(2, { tasks: [task('t3', 3)] });
        expect(taskIds((await stored()).tasks)).toEqual(['t1', 't2', 't3']);
      });

      it('deletes removedTaskIds (getTask then returns null)', async () => {
        await create(makeWorkflow(), [task('t1', 1), task('t2', 2), task('t3', 3)]);
        await commit(1, { removedTaskIds: ['t1', 't3'], tasks: [task('t4', 4)] });
        expect(taskIds((await stored()).tasks)).toEqual(['t2', 't4']);
        expect(await store.getTask('t1')).toBeNull();
        expect(await store.getTask('t3')).toBeNull();
        expect(await store.getTask('t2')).toEqual(task('t2', 2));
      });

      it('ignores removedTaskIds that do not exist', async () => {
        await create(makeWorkflow(), [task('t1', 1)]);
        expect(await commit(1, { removedTaskIds: ['nope'] })).toBe(2);
        expect(taskIds((await stored()).tasks)).toEqual(['t1']);
      });
    });

    describe('task order', () => {
      it('returns tasks in seq order whatever the order they were committed in', async () => {
        await create(makeWorkflow(), [task('c', 3), task('a', 1), task('b', 2)]);
        await commit(1, { tasks: [task('e', 5), task('d', 4)] });
        expect(taskIds((await stored()).tasks)).toEqual(['a', 'b', 'c', 'd', 'e']);
      });

      it('puts a task with seq 0 (a SKIPPED placeholder) committed later first', async () => {
        await create(makeWorkflow(), [task('t1', 1), task('t2', 2)]);
        await commit(1, { tasks: [task('skipped', 0, { status: 'SKIPPED' })] });
        await commit(2, { tasks: [task('t3', 3)] });
        expect(taskIds((await stored()).tasks)).toEqual(['skipped', 't1', 't2', 't3']);
        expect(await store.getTask('skipped')).toEqual(task('skipped', 0, { status: 'SKIPPED' }));
      });

      it('keeps seq order when a task is inserted between existing ones', async () => {
        await create(makeWorkflow(), [task('t1', 1), task('t5', 5)]);
        await commit(1, { tasks: [task('t3', 3)] });
        await commit(2, { tasks: [task('t1', 1, { status: 'IN_PROGRESS' }), task('t6', 6)] });
        const tasks = (await stored()).tasks;
        expect(taskIds(tasks)).toEqual(['t1', 't3', 't5', 't6']);
        expect(tasks[0].status).toBe('IN_PROGRESS');
      });
    });

    describe('reading workflows and tasks', () => {
      it('returns null for an unknown workflow and an unknown task', async () => {
        expect(await store.getWorkflow('unknown')).toBeNull();
        expect(await store.getWorkflow('unknown', { includeTasks: false })).toBeNull();
        expect(await store.getTask('unknown')).toBeNull();
      });

      it('returns an empty task list with includeTasks: false, and the tasks with includeTasks: true', async () => {
        const workflow = makeWorkflow();
        await create(workflow, [task('t1', 1), task('t2', 2)]);
        expect(await store.getWorkflow(WF, { includeTasks: false })).toEqual({
          workflow,
          version: 1,
          tasks: [],
        });
        expect(taskIds((await store.getWorkflow(WF, { includeTasks: true }))!.tasks)).toEqual(['t1', 't2']);
      });

      it('finds a task by id across workflows', async () => {
        await create(makeWorkflow({ workflowId: 'wf-a' }), [task('a1', 1, { workflowInstanceId: 'wf-a' })]);
        await create(makeWorkflow({ workflowId: 'wf-b' }), [
          task('b1', 1, { workflowInstanceId: 'wf-b' }),
          task('b2', 2, { workflowInstanceId: 'wf-b' }),
        ]);
        expect(await store.getTask('a1')).toEqual(task('a1', 1, { workflowInstanceId: 'wf-a' }));
        expect(await store.getTask('b2')).toEqual(task('b2', 2, { workflowInstanceId: 'wf-b' }));
        expect(taskIds((await stored('wf-a')).tasks)).toEqual(['a1']);
        expect(taskIds((await stored('wf-b')).tasks)).toEqual(['b1', 'b2']);
      });

      it('keeps workflows apart: a commit to one leaves the other unchanged', async () => {
        const other = makeWorkflow({ workflowId: 'wf-b' });
        await create(makeWorkflow(), [task('t1', 1)]);
        await create(other, [task('b1', 1, { workflowInstanceId: 'wf-b' })]);
        await commit(1, { workflow: makeWorkflow({ status: 'COMPLETED' }), removedTaskIds: ['t1'] });
        expect(await store.getWorkflow('wf-b')).toEqual({
          workflow: other,
          version: 1,
          tasks: [task('b1', 1, { workflowInstanceId: 'wf-b' })],
        });
      });
    });

    describe('removeWorkflow', () => {
      it('removes the workflow, its tasks and their logs; returns true', async () => {
        await create(makeWorkflow(), [task('t1', 1), task('t2', 2)]);
        await store.appendTaskLogs([{ taskId: 't1', log: 'started', createdTime: T0 }]);
        expect(await store.removeWorkflow(WF)).toBe(true);
        expect(await store.getWorkflow(WF)).toBeNull();
        expect(await store.getTask('t1')).toBeNull();
        expect(await store.getTask('t2')).toBeNull();
        expect(await store.getTaskLogs('t1')).toEqual([]);
      });

      it('returns false for an unknown or already removed workflow', async () => {
        expect(await store.removeWorkflow('unknown')).toBe(false);
        await create();
        expect(await store.removeWorkflow(WF)).toBe(true);
        expect(await store.removeWorkflow(WF)).toBe(false);
      });

      it('leaves other workflows, their tasks and logs alone', async () => {
        const other = makeWorkflow({ workflowId: 'wf-b' });
        const otherTask = task('b1', 1, { workflowInstanceId: 'wf-b' });
        const log: TaskExecLog = { taskId: 'b1', log: 'kept', createdTime: T0 };
        await create(makeWorkflow(), [task('t1', 1)]);
        await create(other, [otherTask]);
        await store.appendTaskLogs([log]);
        await store.removeWorkflow(WF);
        expect(await store.getWorkflow('wf-b')).toEqual({ workflow: other, version: 1, tasks: [otherTask] });
        expect(await store.getTask('b1')).toEqual(otherTask);
        expect(await store.getTaskLogs('b1')).toEqual([log]);
      });
    });

    describe('task logs', () => {
      const log = (taskId: string, text: string, at: number): TaskExecLog => ({
        taskId,
        log: text,
        createdTime: T0 + at,
      });

      it('appends logs in order, per task; an unknown task has none', async () => {
        await create(makeWorkflow(), [task('a', 1), task('b', 2)]);
        await store.appendTaskLogs([log('a', 'a1', 1), log('b', 'b1', 2), log('a', 'a2', 3)]);
        await store.appendTaskLogs([log('a', 'a3', 4)]);
        await store.appendTaskLogs([]);
        expect(await store.getTaskLogs('a')).toEqual([
          log('a', 'a1', 1),
          log('a', 'a2', 3),
          log('a', 'a3', 4),
        ]);
        expect(await store.getTaskLogs('b')).toEqual([log('b', 'b1', 2)]);
        expect(await store.getTaskLogs('unknown')).toEqual([]);
      });

      it('keeps insertion order even when createdTime goes backwards or repeats', async () => {
        await create(makeWorkflow(), [task('a', 1)]);
        const logs = [log('a', 'first', 5), log('a', 'second', 5), log('a', 'third', 1)];
        for (const entry of logs) await store.appendTaskLogs([entry]);
        expect((await store.getTaskLogs('a')).map((l) => l.log)).toEqual(['first', 'second', 'third']);
      });

      it('round-trips unicode and long log lines', async () => {
        await create(makeWorkflow(), [task('a', 1)]);
        const logs = [
          log('a', 'ünïcödé 日本語 🚀 "quoted" \\ \n next line', 1),
          log('a', 'x'.repeat(10_000), 2),
        ];
        await store.appendTaskLogs(logs);
        expect(await store.getTaskLogs('a')).toEqual(jsonCopy(logs));
      });
    });

    describeJsonRoundTripContract(() => store);
    describeIdempotencyContract(() => store);
    describeSearchContract(() => store);
    describeEventHandlerContract(() => store);

    describe('queue ops in commits', () => {
      const Q = 'contract_task_queue';
      const DECIDE = 'contract_decide_queue';
      const push = (queue: string, id: string, visibleAt = T0): QueueOp => ({
        op: 'push',
        queue,
        id,
        visibleAt,
      });
      const remove = (queue: string, id: string): QueueOp => ({ op: 'remove', queue, id });

      /** The queue from `options.queue`, which the store must say it commits. */
      async function committedQueue(): Promise<Queue> {
        queue = await options.queue!();
        expect(store.commitsQueue(queue)).toBe(true);
        return queue;
      }

      async function polledIds(q: Queue, now: number): Promise<string[]> {
        const leases = await q.poll(Q, { count: 10, now, leaseMs: 3_600_000 });
        return leases.map((l) => l.id);
      }

      it('commitsQueue answers a boolean', async () => {
        const foreign = new MemoryQueue();
        try {
          expect(typeof store.commitsQueue(foreign)).toBe('boolean');
        } finally {
          await foreign.close();
        }
        if (options.queue) {
          queue = await options.queue();
          expect(typeof store.commitsQueue(queue)).toBe('boolean');
        }
      });

      // Registered only for stores that commit a queue: the others apply queue ops through the engine.
      const itWithQueue = options.queue ? it : () => {};

      itWithQueue('writes the queue ops of a commit to the queue it commits', async () => {
        const q = await committedQueue();
        const ops = [push(Q, 't1'), push(Q, 't2', T0 + 60_000), push(DECIDE, WF), remove(Q, 'unknown')];
        await create(makeWorkflow(), [task('t1', 1), task('t2', 2)], ops);
        expect(await q.sizes([Q, DECIDE])).toEqual({ [Q]: 2, [DECIDE]: 1 });
        expect(await polledIds(q, T0)).toEqual(['t1']);

        await commit(1, { queue: [remove(Q, 't2'), push(Q, 't3')] });
        expect(await q.sizes([Q])).toEqual({ [Q]: 1 });
        expect(await polledIds(q, T0 + 60_000)).toEqual(['t3']);
      });

      itWithQueue('writes no queue op of a failed commit', async () => {
        const q = await committedQueue();
        await create(makeWorkflow(), [], [push(Q, 't1')]);

        await expectBatonError(
          () => create(makeWorkflow(), [], [remove(Q, 't1'), push(Q, 'a')]),
          'VERSION_CONFLICT',
        );
        await expectBatonError(
          () => commit(7, { queue: [remove(Q, 't1'), push(Q, 'b'), push(DECIDE, WF)] }),
          'VERSION_CONFLICT',
        );

        expect(await q.sizes([Q, DECIDE])).toEqual({ [Q]: 1, [DECIDE]: 0 });
        expect(await polledIds(q, T0)).toEqual(['t1']);
      });
    });
  });
}
