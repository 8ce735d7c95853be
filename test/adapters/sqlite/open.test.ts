import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteDatabase } from '../../../src/adapters/sqlite/database.js';
import { SCHEMA_VERSION, sqlite } from '../../../src/adapters/sqlite/index.js';
import { APPLICATION_ID, MIGRATIONS } from '../../../src/adapters/sqlite/migrations.js';
import { BatonError, Engine } from '../../../src/index.js';
import { makeTask, makeWorkflow, T0 } from '../../../src/testing/fixtures.js';
import { ManualClock } from '../../../src/testing/manual-clock.js';
import { tempDbPath, toClose } from './temp-db.js';

function openError(path: string): unknown {
  try {
    const db = SqliteDatabase.open({ path });
    db.acquire();
    toClose.push({ close: async () => db.release() });
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('sqlite: opening a file', () => {
  it('creates a new database with the current schema, in WAL mode', async () => {
    const path = tempDbPath();
    const { store, queue } = sqlite({ path });
    await queue.close();
    await store.close();
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(raw.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('refuses a file that is not SQLite with a clear ADAPTER error and leaves it untouched', () => {
    const path = tempDbPath();
    const junk = Buffer.from('this is not a database, just some text that someone saved here\n'.repeat(200));
    writeFileSync(path, junk);
    const error = openError(path);
    expect(BatonError.is(error, 'ADAPTER')).toBe(true);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(/not a usable Baton SQLite database/);
    expect(readFileSync(path).equals(junk)).toBe(true);
  });

  it('refuses a corrupt database (damaged header) and leaves it untouched', async () => {
    const path = tempDbPath();
    const { store, queue } = sqlite({ path });
    await store.saveTaskDefs([{ name: 'a' }]);
    await queue.close();
    await store.close();
    const bytes = readFileSync(path);
    bytes.fill(0x5a, 0, 100); // the 100-byte header
    writeFileSync(path, bytes);
    const error = openError(path);
    expect(BatonError.is(error, 'ADAPTER')).toBe(true);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it("refuses another application's SQLite database and leaves it untouched", () => {
    const path = tempDbPath();
    const other = new Database(path);
    other.exec(
      "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'Ada')",
    );
    other.close();
    const before = readFileSync(path);
    const error = openError(path);
    expect(BatonError.is(error, 'ADAPTER')).toBe(true);
    expect((error as Error).message).toMatch(/another application/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a database of a newer schema version', () => {
    const path = tempDbPath();
    const future = new Database(path);
    future.pragma(`application_id = ${APPLICATION_ID}`);
    future.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    future.close();
    const error = openError(path);
    expect(BatonError.is(error, 'ADAPTER')).toBe(true);
    expect((error as Error).message).toMatch(/newer/);
  });

  it('migrates a database of schema version 1, keeping its data', async () => {
    expect(SCHEMA_VERSION).toBeGreaterThan(1);
    const path = tempDbPath();
    // A version-1 database as an older release wrote it, with one workflow in it.
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec(MIGRATIONS[0]);
    old.pragma(`application_id = ${APPLICATION_ID}`);
    old.pragma('user_version = 1');
    const workflow = makeWorkflow({ workflowId: 'old-1', correlationId: 'c-1' });
    old
      .prepare(
        `INSERT INTO workflows (workflow_id, version, name, status, correlation_id, start_time, create_time, json)
         VALUES (?, 3, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        'old-1',
        workflow.workflowName,
        workflow.status,
        'c-1',
        workflow.startTime,
        workflow.createTime,
        JSON.stringify(workflow),
      );
    old.close();

    const { store, queue } = sqlite({ path });
    toClose.push(store, queue);
    const found = await store.getWorkflow('old-1');
    expect(found).toMatchObject({ version: 3, workflow: { workflowId: 'old-1' } });
    const hits = await store.searchWorkflows({
      workflowType: null,
      statuses: ['RUNNING'],
      correlationId: 'c-1',
      startTimeFrom: null,
      startTimeTo: null,
      freeText: null,
      sort: 'DESC',
      start: 0,
      size: 10,
    });
    expect(hits.totalHits).toBe(1);

    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const indexes = raw
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'workflows_status_start_time'",
        )
        .all();
      expect(indexes).toHaveLength(1);
    } finally {
      raw.close();
    }
  });

  it('migrates a database of schema version 2: a running workflow with its embedded definition loads and finishes', async () => {
    expect(SCHEMA_VERSION).toBeGreaterThan(2);
    const path = tempDbPath();
    // A version-2 database as release 2 wrote it: the definition snapshot inside the workflow row's JSON.
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec(MIGRATIONS[0]);
    old.exec(MIGRATIONS[1]);
    old.pragma(`application_id = ${APPLICATION_ID}`);
    old.pragma('user_version = 2');
    const workflow = makeWorkflow({ workflowId: 'old-2' });
    old
      .prepare(
        `INSERT INTO workflows (workflow_id, version, name, status, correlation_id, start_time, create_time, json)
         VALUES ('old-2', 2, ?, 'RUNNING', NULL, ?, ?, ?)`,
      )
      .run(workflow.workflowName, workflow.startTime, workflow.createTime, JSON.stringify(workflow));
    const task = makeTask({ workflowInstanceId: 'old-2', taskType: 'fixture_task' });
    old
      .prepare("INSERT INTO tasks (task_id, workflow_id, seq, json) VALUES (?, 'old-2', 1, ?)")
      .run(task.taskId, JSON.stringify(task));
    old
      .prepare(
        `INSERT INTO queue_messages (queue, id, priority, visible_at, avail_at)
         VALUES ('fixture_task', ?, 0, ?, ?)`,
      )
      .run(task.taskId, T0, T0);
    old.close();

    const { store, queue } = sqlite({ path });
    const engine = new Engine({ store, queue, clock: new ManualClock(T0 + 1_000) });
    toClose.push(store, queue, { close: () => engine.stop() });
    const found = await store.getWorkflow('old-2');
    expect(found?.version).toBe(2);
    expect(found?.workflow.workflowDefinition).toEqual(workflow.workflowDefinition);

    // The engine runs it on: the definition's outputParameters make the output.
    await engine.start();
    const polled = await engine.pollTask('fixture_task');
    expect(polled).toMatchObject({ taskId: task.taskId, workflowInstanceId: 'old-2' });
    await engine.updateTask({ taskId: task.taskId, status: 'COMPLETED', outputData: { result: 7 } });
    const done = await engine.getWorkflow('old-2');
    expect(done.status).toBe('COMPLETED');
    expect(done.output).toEqual({ result: 7 });
    expect(done.workflowDefinition).toEqual(workflow.workflowDefinition);

    // Its row was rewritten in the new form: the definition stored once, beside the row.
    const raw = new Database(path, { readonly: true });
    try {
      const row = raw
        .prepare("SELECT definition_hash, json FROM workflows WHERE workflow_id = 'old-2'")
        .get() as { definition_hash: string; json: string };
      expect(row.definition_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.parse(row.json)).not.toHaveProperty('workflowDefinition');
      const snapshot = raw
        .prepare('SELECT json FROM workflow_def_snapshots WHERE hash = ?')
        .get(row.definition_hash) as { json: string };
      expect(JSON.parse(snapshot.json)).toEqual(workflow.workflowDefinition);
    } finally {
      raw.close();
    }
  });
});
