import { describe, expect, it } from 'vitest';
import { sqlite } from '../../../src/adapters/sqlite/index.js';
import type { Task } from '../../../src/model/task.js';
import type { Store, WorkflowCommit } from '../../../src/store/store.js';
import { makeTask, makeWorkflow, makeWorkflowDef } from '../../../src/testing/fixtures.js';
import { tempDbPath, toClose } from './temp-db.js';

function open(path: string) {
  const backend = sqlite({ path });
  toClose.push(backend.store, backend.queue);
  return backend.store;
}

const first: WorkflowCommit = {
  workflow: makeWorkflow({ workflowId: 'wf-1' }),
  expectedVersion: 0,
  tasks: [makeTask({ taskId: 't-1' })],
  queue: [],
};

describe('sqlite: read caches: rows are reused only while the stored row is unchanged', () => {
  it('a read after a commit returns what was committed, without a copy', async () => {
    const store = open(tempDbPath());
    await store.commit(first);
    const found = await store.getWorkflow('wf-1');
    expect(found?.tasks[0]).toBe(first.tasks[0]);
    expect(await store.getTask('t-1')).toBe(first.tasks[0]);
    expect(found?.workflow).toEqual(first.workflow);
  });

  it('rows another process changed are read afresh', async () => {
    const path = tempDbPath();
    const mine = open(path);
    const theirs = open(path); // another connection: as another process
    await mine.commit(first);
    expect((await mine.getWorkflow('wf-1'))?.workflow.status).toBe('RUNNING');
    await theirs.commit({
      workflow: makeWorkflow({ workflowId: 'wf-1', status: 'COMPLETED', output: { result: 3 } }),
      expectedVersion: 1,
      tasks: [makeTask({ taskId: 't-1', status: 'COMPLETED', outputData: { result: 3 } })],
      queue: [],
    });
    const found = await mine.getWorkflow('wf-1');
    expect(found).toMatchObject({ version: 2, workflow: { status: 'COMPLETED', output: { result: 3 } } });
    expect(found?.tasks[0]).toMatchObject({ status: 'COMPLETED', outputData: { result: 3 } });
    expect(await mine.getTask('t-1')).toMatchObject({ status: 'COMPLETED' });
  });

  it('a workflow whose row text is unchanged but whose definition changed gets the new definition', async () => {
    const path = tempDbPath();
    const mine = open(path);
    const theirs = open(path);
    await mine.commit(first);
    await mine.getWorkflow('wf-1');
    const other = makeWorkflowDef({ description: 'changed' });
    await theirs.commit({
      workflow: makeWorkflow({ workflowId: 'wf-1', workflowDefinition: other }),
      expectedVersion: 1,
      tasks: [],
      queue: [],
    });
    expect((await mine.getWorkflow('wf-1'))?.workflow.workflowDefinition).toEqual(other);
  });

  it('a failed commit leaves no trace in what reads return', async () => {
    const store = open(tempDbPath());
    await store.commit(first);
    const stale: WorkflowCommit = {
      workflow: makeWorkflow({ workflowId: 'wf-1', status: 'FAILED' }),
      expectedVersion: 5,
      tasks: [makeTask({ taskId: 't-1', status: 'FAILED' })],
      queue: [],
    };
    await expect(store.commit(stale)).rejects.toThrow();
    expect((await store.getWorkflow('wf-1'))?.workflow.status).toBe('RUNNING');
    expect((await store.getTask('t-1'))?.status).toBe('SCHEDULED');
  });

  it('tasks read back after commits keep the order a fresh read of the file gives', async () => {
    const path = tempDbPath();
    const mine = open(path);
    const t = (taskId: string, seq: number, status: Task['status'] = 'SCHEDULED') =>
      makeTask({ taskId, seq, status, referenceTaskName: `ref_${taskId}` });
    let version = await mine.commit({ ...first, tasks: [t('a', 1), t('b', 2)] });
    const steps: Array<Pick<WorkflowCommit, 'tasks' | 'removedTaskIds'>> = [
      { tasks: [t('a', 1, 'COMPLETED'), t('c', 3)] },
      // Created with a lower seq than stored ones (a SKIPPED placeholder has seq 0), and a tie on seq.
      { tasks: [t('skip', 0, 'SKIPPED'), t('c2', 3)] },
      // Removed, and one re-inserted with the same id: it goes after the tasks of its seq.
      { tasks: [t('b', 2, 'COMPLETED')], removedTaskIds: ['a', 'c'] },
      { tasks: [t('a', 3)], removedTaskIds: ['a'] },
      // A stored task whose seq changes.
      { tasks: [t('skip', 5, 'SKIPPED'), t('d', 4)] },
    ];
    const ids = async (store: Store) => (await store.getWorkflow('wf-1'))?.tasks.map((x) => x.taskId);
    for (const step of steps) {
      await mine.getWorkflow('wf-1');
      version = await mine.commit({ ...first, ...step, expectedVersion: version, queue: [] });
      const fresh = open(path); // a new connection has no cache: the file's order
      expect(await ids(mine)).toEqual(await ids(fresh));
    }
    expect(await ids(mine)).toEqual(['b', 'c2', 'a', 'd', 'skip']);
  });

  it('each load returns a fresh task array', async () => {
    const store = open(tempDbPath());
    await store.commit(first);
    const tasks = (await store.getWorkflow('wf-1'))?.tasks as Task[];
    tasks.push(makeTask({ taskId: 'extra' }));
    expect((await store.getWorkflow('wf-1'))?.tasks.map((x) => x.taskId)).toEqual(['t-1']);
  });
});
