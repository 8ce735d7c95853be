import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CommitBatcher } from '../../../src/adapters/sqlite/commit-batcher.js';
import { sqlite } from '../../../src/adapters/sqlite/index.js';
import { IdempotencyConflictError, VersionConflictError } from '../../../src/errors.js';
import type { WorkflowCommit } from '../../../src/store/store.js';
import { makeTask, makeWorkflow } from '../../../src/testing/fixtures.js';
import { tempDbPath, toClose } from './temp-db.js';

/** A raw connection on a fresh file that records every statement it runs, and its batcher. */
function rawBatcher() {
  const path = tempDbPath();
  const statements: string[] = [];
  const db = new Database(path, { verbose: (sql) => statements.push(String(sql)) });
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (v TEXT NOT NULL)');
  toClose.push({ close: async () => void db.close() });
  statements.length = 0;
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  return { path, db, statements, batcher: CommitBatcher.of(db), insert: (v: string) => insert.run(v) };
}

/** What another connection (another process) reads from the file. */
function readOther<T>(path: string, sql: string, ...params: unknown[]): T[] {
  const other = new Database(path, { readonly: true });
  try {
    return other.prepare(sql).all(...params) as T[];
  } finally {
    other.close();
  }
}

function open(path: string) {
  const backend = sqlite({ path });
  toClose.push(backend.store, backend.queue);
  return backend;
}

/** Closes a backend, as a process exit would; its closers in `toClose` become no-ops. */
async function closeBackend({ store, queue }: ReturnType<typeof open>): Promise<void> {
  await queue.close();
  await store.close();
}

function create(workflowId: string, overrides: Partial<WorkflowCommit> = {}): WorkflowCommit {
  return {
    workflow: makeWorkflow({ workflowId }),
    expectedVersion: 0,
    tasks: [makeTask({ taskId: `${workflowId}-t1`, workflowInstanceId: workflowId })],
    queue: [{ op: 'push', queue: 'fixture_task', id: `${workflowId}-t1`, visibleAt: 0 }],
    ...overrides,
  };
}

describe('sqlite: CommitBatcher', () => {
  it('runs the units submitted in one turn in one transaction, in order, each in a savepoint', async () => {
    const { batcher, statements, insert } = rawBatcher();
    const results = await Promise.all(
      ['a', 'b', 'c'].map((v) =>
        batcher.run(() => {
          insert(v);
          return v.toUpperCase();
        }),
      ),
    );
    expect(results).toEqual(['A', 'B', 'C']);
    expect(statements.filter((s) => s.startsWith('BEGIN'))).toEqual(['BEGIN IMMEDIATE']);
    expect(statements.filter((s) => s === 'COMMIT')).toHaveLength(1);
    expect(statements.filter((s) => s.startsWith('SAVEPOINT'))).toHaveLength(3);
    expect(statements.filter((s) => s.startsWith('INSERT'))).toEqual([
      "INSERT INTO t (v) VALUES ('a')",
      "INSERT INTO t (v) VALUES ('b')",
      "INSERT INTO t (v) VALUES ('c')",
    ]);
  });

  it('a unit that throws is rolled back alone and rejects alone', async () => {
    const { path, batcher, insert } = rawBatcher();
    const failure = new Error('no');
    const outcomes = await Promise.allSettled([
      batcher.run(() => insert('a')),
      batcher.run(() => {
        insert('half-done');
        throw failure;
      }),
      batcher.run(() => insert('c')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBe(failure);
    expect(readOther<{ v: string }>(path, 'SELECT v FROM t ORDER BY rowid')).toEqual([
      { v: 'a' },
      { v: 'c' },
    ]);
  });

  it('settles only after the transaction committed: another connection reads the data by then', async () => {
    const { path, batcher, insert } = rawBatcher();
    const pending = batcher.run(() => insert('x'));
    // Submitted, not yet written: a unit of the next batch has not happened yet.
    expect(readOther(path, 'SELECT v FROM t')).toEqual([]);
    let seenOnResolve: unknown[] = [];
    await pending.then(() => {
      seenOnResolve = readOther(path, 'SELECT v FROM t');
    });
    expect(seenOnResolve).toEqual([{ v: 'x' }]);
  });

  it('rejects every unit, and writes none, when the transaction as a whole fails', async () => {
    const { path, db, batcher, insert } = rawBatcher();
    const outcomes = await Promise.allSettled([
      batcher.run(() => insert('a')),
      // As SQLite does on some I/O errors: the whole transaction is rolled back under the unit.
      batcher.run(() => db.exec('ROLLBACK')),
      batcher.run(() => insert('c')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(readOther(path, 'SELECT v FROM t')).toEqual([]);
    expect(db.inTransaction).toBe(false);
    // The connection goes on working.
    await batcher.run(() => insert('after'));
    expect(readOther(path, 'SELECT v FROM t')).toEqual([{ v: 'after' }]);
  });
});

describe('sqlite: group commit of the store', () => {
  it('concurrent commits of different workflows share one transaction and all land', async () => {
    const path = tempDbPath();
    const backend = open(path);
    const ids = Array.from({ length: 20 }, (_, i) => `wf-${i}`);
    const versions = await Promise.all(ids.map((id) => backend.store.commit(create(id))));
    expect(versions).toEqual(ids.map(() => 1));
    await closeBackend(backend);

    const reopened = open(path);
    for (const id of ids) {
      const found = await reopened.store.getWorkflow(id);
      expect(found?.version).toBe(1);
      expect(found?.tasks.map((t) => t.taskId)).toEqual([`${id}-t1`]);
    }
    expect(await reopened.queue.sizes(['fixture_task'])).toEqual({ fixture_task: 20 });
  });

  it('a version conflict in the middle of a batch rejects only that commit; the others are durable', async () => {
    const path = tempDbPath();
    const backend = open(path);
    await backend.store.commit(create('wf-x'));
    const stale: WorkflowCommit = {
      workflow: makeWorkflow({ workflowId: 'wf-x', status: 'COMPLETED' }),
      expectedVersion: 7,
      tasks: [makeTask({ taskId: 'wf-x-t2', workflowInstanceId: 'wf-x', seq: 2 })],
      queue: [{ op: 'push', queue: 'fixture_task', id: 'wf-x-t2', visibleAt: 0 }],
    };
    const outcomes = await Promise.allSettled([
      backend.store.commit(create('wf-a')),
      backend.store.commit(stale),
      backend.store.commit(create('wf-c')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
    await closeBackend(backend);

    const reopened = open(path);
    expect((await reopened.store.getWorkflow('wf-a'))?.version).toBe(1);
    expect((await reopened.store.getWorkflow('wf-c'))?.version).toBe(1);
    const x = await reopened.store.getWorkflow('wf-x');
    expect(x).toMatchObject({ version: 1, workflow: { status: 'RUNNING' } });
    expect(x?.tasks.map((t) => t.taskId)).toEqual(['wf-x-t1']);
    expect(await reopened.queue.sizes(['fixture_task'])).toEqual({ fixture_task: 3 });
  });

  it('an idempotency conflict in the middle of a batch rejects only that commit; the others are durable', async () => {
    const path = tempDbPath();
    const backend = open(path);
    const keyed = (id: string) =>
      create(id, {
        workflow: makeWorkflow({ workflowId: id, idempotencyKey: 'k-1' }),
        idempotency: { conflictsWith: 'any' },
      });
    await backend.store.commit(keyed('holder'));
    const outcomes = await Promise.allSettled([
      backend.store.commit(create('wf-a')),
      backend.store.commit(keyed('second')),
      backend.store.commit(create('wf-c')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const reason = (outcomes[1] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(IdempotencyConflictError);
    expect(reason).toMatchObject({ existingWorkflowId: 'holder' });
    await closeBackend(backend);

    const reopened = open(path);
    expect(await reopened.store.getWorkflow('second')).toBeNull();
    expect(await reopened.store.getTask('second-t1')).toBeNull();
    expect((await reopened.store.getWorkflow('wf-a'))?.version).toBe(1);
    expect((await reopened.store.getWorkflow('wf-c'))?.version).toBe(1);
    expect(await reopened.queue.sizes(['fixture_task'])).toEqual({ fixture_task: 3 });
  });

  it('commits of one workflow in one batch apply in call order', async () => {
    const backend = open(tempDbPath());
    const first = backend.store.commit(create('wf-1'));
    const second = backend.store.commit({
      workflow: makeWorkflow({ workflowId: 'wf-1', status: 'COMPLETED' }),
      expectedVersion: 1,
      tasks: [],
      queue: [{ op: 'remove', queue: 'fixture_task', id: 'wf-1-t1' }],
    });
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(await backend.store.getWorkflow('wf-1')).toMatchObject({
      version: 2,
      workflow: { status: 'COMPLETED' },
    });
    expect(await backend.queue.sizes(['fixture_task'])).toEqual({ fixture_task: 0 });
  });

  it('a commit resolves only once another connection can read it; reads before that see the state without it', async () => {
    const path = tempDbPath();
    const { store } = open(path);
    const committing = store.commit(create('wf-1'));
    // Issued before the commit settles: the commit has not happened yet for this read, or for another process.
    expect(await store.getWorkflow('wf-1')).toBeNull();
    expect(readOther(path, 'SELECT workflow_id FROM workflows')).toEqual([]);
    let seenOnResolve: unknown[] = [];
    await committing.then(() => {
      seenOnResolve = readOther(path, 'SELECT workflow_id FROM workflows');
    });
    expect(seenOnResolve).toEqual([{ workflow_id: 'wf-1' }]);
    expect((await store.getWorkflow('wf-1'))?.version).toBe(1);
  });

  it('closing the database writes what was submitted but not yet committed', async () => {
    const path = tempDbPath();
    const backend = open(path);
    const committing = backend.store.commit(create('wf-1'));
    await closeBackend(backend);
    expect(await committing).toBe(1);
    expect(readOther(path, 'SELECT workflow_id FROM workflows')).toEqual([{ workflow_id: 'wf-1' }]);
  });

  it('queue writes share the batch: a poll in the same turn as the push that feeds it sees the message', async () => {
    const { store, queue } = open(tempDbPath());
    const committing = store.commit(create('wf-1'));
    const polling = queue.poll('fixture_task', { count: 5, now: 1, leaseMs: 1_000 });
    await committing;
    const leases = await polling;
    expect(leases.map((l) => l.id)).toEqual(['wf-1-t1']);
    expect(await queue.ack(leases[0])).toBe(true);
  });
});
