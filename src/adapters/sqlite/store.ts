import type Database from 'better-sqlite3';
import { BatonError, ConflictError, IdempotencyConflictError, VersionConflictError } from '../../errors.js';
import type { EventHandler } from '../../model/event-handler.js';
import {
  matchesFreeText,
  type WorkflowSearchCriteria,
  type WorkflowSearchResult,
  workflowSummary,
} from '../../model/search.js';
import type { Task } from '../../model/task.js';
import type { TaskDef } from '../../model/task-def.js';
import type { TaskExecLog } from '../../model/task-result.js';
import type { WorkflowRecord } from '../../model/workflow.js';
import type { WorkflowDef } from '../../model/workflow-def.js';
import type { Queue } from '../../queue/queue.js';
import type { Store, StoredWorkflow, WorkflowCommit } from '../../store/store.js';
import { CommitBatcher } from './commit-batcher.js';
import { connectionOf } from './connection.js';
import type { SqliteDatabase } from './database.js';
import { DefinitionSnapshots } from './definition-snapshots.js';
import { ParsedRows } from './parsed-rows.js';
import { SqliteQueue } from './queue.js';
import { QueueStatements } from './queue-statements.js';
import { type RecentState, RecentWorkflows } from './recent-workflows.js';

type Row = { json: string };
type WorkflowRow = { version: number; definition_hash: string | null; json: string };
type Stmt<P extends unknown[] = unknown[], R = unknown> = Database.Statement<P, R>;

/**
 * Definitions, executions, tasks and task logs in SQLite. Rows are JSON text beside the columns search and
 * fencing need. A workflow row keeps the hash of its definition snapshot instead of the snapshot itself, which
 * is stored once per distinct content (see `definition-snapshots.ts`). A commit is atomic: the version check,
 * the idempotency claim, the workflow row, the task delta and (when a {@link SqliteQueue} uses the same
 * database) the queue ops. Commits, task logs, removals and the queue's writes issued in one turn of the event
 * loop share one transaction, each in its own savepoint (see `commit-batcher.ts`).
 */
export class SqliteStore implements Store {
  readonly name = 'sqlite';
  /** @internal */
  readonly database: SqliteDatabase;
  readonly #db: Database.Database;
  readonly #queueOps: QueueStatements;
  readonly #s: ReturnType<typeof prepare>;
  readonly #snapshots = new DefinitionSnapshots();
  readonly #loadSnapshot = (hash: string) => this.#s.getSnapshot.get(hash)?.json;
  /** Recently used workflows with their tasks, reused while their stored row is unchanged. */
  readonly #recent = new RecentWorkflows(500, 20_000);
  /** Parsed task rows, reused while their text is unchanged. */
  readonly #tasks = new ParsedRows<Task>(2_000);
  readonly #batcher: CommitBatcher;
  readonly #saveTaskDefsTx: Database.Transaction<(defs: readonly TaskDef[]) => void>;
  #closed = false;

  constructor(database: SqliteDatabase) {
    database.acquire();
    this.database = database;
    const db = connectionOf(database);
    this.#db = db;
    this.#queueOps = new QueueStatements(db);
    // Free text of the search: the reference semantics, on the row JSON (only called when text is given).
    db.function('baton_free_text', { deterministic: true }, (json: unknown, text: unknown) =>
      matchesFreeText(JSON.parse(json as string) as WorkflowRecord, text as string) ? 1 : 0,
    );
    this.#s = prepare(db);
    this.#batcher = CommitBatcher.of(db);
    this.#saveTaskDefsTx = db.transaction((defs: readonly TaskDef[]) => {
      for (const def of defs) this.#s.saveTaskDef.run(def.name, JSON.stringify(def));
    });
  }

  // ---- definitions ----

  async saveTaskDefs(defs: readonly TaskDef[]): Promise<void> {
    this.#saveTaskDefsTx.immediate(defs);
  }

  async getTaskDef(name: string): Promise<TaskDef | null> {
    return parse(this.#s.getTaskDef.get(name));
  }

  async listTaskDefs(): Promise<TaskDef[]> {
    return this.#s.listTaskDefs.all().map((r) => JSON.parse(r.json));
  }

  async removeTaskDef(name: string): Promise<boolean> {
    return this.#s.removeTaskDef.run(name).changes > 0;
  }

  async saveWorkflowDef(def: WorkflowDef, overwrite: boolean): Promise<void> {
    const version = def.version ?? 1;
    const json = JSON.stringify(def);
    if (overwrite) {
      this.#s.upsertWorkflowDef.run(def.name, version, json);
    } else if (this.#s.insertWorkflowDef.run(def.name, version, json).changes === 0) {
      throw new ConflictError(`Workflow definition ${def.name} version ${version} already exists`);
    }
  }

  async getWorkflowDef(name: string, version?: number): Promise<WorkflowDef | null> {
    return parse(
      version === undefined
        ? this.#s.getLatestWorkflowDef.get(name)
        : this.#s.getWorkflowDef.get(name, version),
    );
  }

  async listWorkflowDefs(): Promise<WorkflowDef[]> {
    return this.#s.listWorkflowDefs.all().map((r) => JSON.parse(r.json));
  }

  async removeWorkflowDef(name: string, version: number): Promise<boolean> {
    return this.#s.removeWorkflowDef.run(name, version).changes > 0;
  }

  async saveEventHandler(handler: EventHandler, overwrite: boolean): Promise<void> {
    const json = JSON.stringify(handler);
    if (overwrite) {
      this.#s.upsertEventHandler.run(handler.name, handler.event, json);
    } else if (this.#s.insertEventHandler.run(handler.name, handler.event, json).changes === 0) {
      throw new ConflictError(`Event handler ${handler.name} already exists`);
    }
  }

  async getEventHandler(name: string): Promise<EventHandler | null> {
    return parse(this.#s.getEventHandler.get(name));
  }

  async listEventHandlers(event?: string): Promise<EventHandler[]> {
    const rows =
      event === undefined ? this.#s.listEventHandlers.all() : this.#s.listEventHandlersOf.all(event);
    return rows.map((r) => JSON.parse(r.json));
  }

  async removeEventHandler(name: string): Promise<boolean> {
    return this.#s.removeEventHandler.run(name).changes > 0;
  }

  // ---- executions ----

  /** Group-committed with the other commits and queue writes of this turn of the event loop (CommitBatcher). */
  async commit(commit: WorkflowCommit): Promise<number> {
    const written = await this.#batcher.run(() => this.#commitNow(commit));
    this.#recent.committed(commit, written);
    return written.version;
  }

  async getWorkflow(
    workflowId: string,
    options?: { includeTasks?: boolean },
  ): Promise<StoredWorkflow | null> {
    const row = this.#s.getWorkflow.get(workflowId);
    if (!row) return null;
    const { version, json, definition_hash: hash } = row;
    const includeTasks = options?.includeTasks ?? true;
    const recent = this.#recent.get(workflowId, version, json, hash);
    if (recent)
      return { workflow: recent.workflow, version, tasks: includeTasks ? recent.tasks.slice() : [] };
    const workflow = this.#parseWorkflowRow(json, hash);
    if (!includeTasks) return { workflow, version, tasks: [] };
    const tasks = this.#s.tasksOf.all(workflowId).map((r) => this.#tasks.get(r.task_id, r.json));
    this.#recent.set(workflowId, { version, json, hash, workflow, tasks });
    return { workflow, version, tasks: tasks.slice() };
  }

  async getTask(taskId: string): Promise<Task | null> {
    const row = this.#s.getTask.get(taskId);
    return row ? this.#tasks.get(taskId, row.json) : null;
  }

  removeWorkflow(workflowId: string): Promise<boolean> {
    return this.#batcher.run(() => {
      const s = this.#s;
      const hash = s.definitionHashOf.get(workflowId)?.definition_hash ?? null;
      s.removeLogsOfWorkflow.run(workflowId);
      s.removeTasksOfWorkflow.run(workflowId);
      const removed = s.removeWorkflow.run(workflowId).changes > 0;
      this.#recent.delete(workflowId);
      // The snapshot goes with the last workflow that uses it.
      if (hash !== null) s.removeUnusedSnapshot.run(hash, hash);
      return removed;
    });
  }

  async searchWorkflows(criteria: WorkflowSearchCriteria): Promise<WorkflowSearchResult> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (criteria.workflowType !== null) {
      where.push('name = ?');
      params.push(criteria.workflowType);
    }
    if (criteria.statuses !== null) {
      where.push('status IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(criteria.statuses));
    }
    if (criteria.correlationId !== null) {
      where.push('correlation_id = ?');
      params.push(criteria.correlationId);
    }
    if (criteria.startTimeFrom !== null) {
      where.push('start_time >= ?');
      params.push(criteria.startTimeFrom);
    }
    if (criteria.startTimeTo !== null) {
      where.push('start_time <= ?');
      params.push(criteria.startTimeTo);
    }
    if (criteria.freeText !== null) {
      where.push('baton_free_text(json, ?) = 1');
      params.push(criteria.freeText);
    }
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const direction = criteria.sort === 'ASC' ? 'ASC' : 'DESC';
    // A read transaction, so the count and the page see one snapshot.
    return this.#db.transaction(() => {
      const { n } = this.#db.prepare(`SELECT count(*) AS n FROM workflows ${filter}`).get(...params) as {
        n: number;
      };
      const rows = this.#db
        .prepare(
          `SELECT json FROM workflows ${filter} ORDER BY start_time ${direction}, workflow_id ASC LIMIT ? OFFSET ?`,
        )
        .all(...params, criteria.size, criteria.start) as Row[];
      return {
        totalHits: n,
        results: rows.map((r) => workflowSummary(JSON.parse(r.json) as WorkflowRecord)),
      };
    })();
  }

  async appendTaskLogs(logs: readonly TaskExecLog[]): Promise<void> {
    if (logs.length === 0) return;
    await this.#batcher.run(() => {
      for (const log of logs) this.#s.appendLog.run(log.taskId, JSON.stringify(log));
    });
  }

  async getTaskLogs(taskId: string): Promise<TaskExecLog[]> {
    return this.#s.logsOf.all(taskId).map((r) => JSON.parse(r.json));
  }

  commitsQueue(queue: Queue): boolean {
    return queue instanceof SqliteQueue && queue.database === this.database;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.database.release();
  }

  /** The workflow of a row: its JSON with the definition snapshot put back (rows of schema 2 embed theirs). */
  #parseWorkflowRow(json: string, hash: string | null): WorkflowRecord {
    const workflow = JSON.parse(json) as WorkflowRecord;
    if (hash !== null) {
      const def = this.#snapshots.parsed(hash, this.#loadSnapshot);
      if (!def) {
        throw new BatonError(
          'ADAPTER',
          `Workflow ${workflow.workflowId}: definition snapshot ${hash} is missing from ${this.database.path}`,
        );
      }
      workflow.workflowDefinition = def;
    }
    return workflow;
  }

  /**
   * The body of a commit, inside its transaction: throws (rolling everything back) on a conflict. Returns the
   * stored row, for {@link RecentWorkflows} once the transaction has committed.
   */
  #commitNow(commit: WorkflowCommit): Omit<RecentState, 'tasks'> {
    const s = this.#s;
    const wf = commit.workflow;
    const id = wf.workflowId;
    let version: number;
    const snapshot = this.#snapshots.of(wf.workflowDefinition);
    // The row without its definition: a shallow copy with the key left undefined, which JSON omits.
    const row = Object.assign({}, wf);
    row.workflowDefinition = undefined as unknown as WorkflowDef;
    const json = JSON.stringify(row);
    if (commit.expectedVersion === 0) {
      if (s.workflowVersion.get(id)) throw new VersionConflictError(id, 0);
      const key = commit.idempotency && wf.idempotencyKey != null ? wf.idempotencyKey : null;
      if (key !== null) {
        const blocker =
          commit.idempotency?.conflictsWith === 'active'
            ? s.activeHolder.get(wf.workflowName, key)
            : s.anyHolder.get(wf.workflowName, key);
        if (blocker) throw new IdempotencyConflictError(wf.workflowName, key, blocker.workflow_id);
      }
      version = 1;
      s.insertWorkflow.run(
        id,
        wf.workflowName,
        wf.status,
        wf.correlationId ?? null,
        wf.startTime,
        wf.createTime,
        key,
        snapshot.hash,
        json,
      );
    } else {
      const updated = s.updateWorkflow.run(
        wf.status,
        wf.correlationId ?? null,
        wf.startTime,
        snapshot.hash,
        json,
        id,
        commit.expectedVersion,
      );
      if (updated.changes === 0) throw new VersionConflictError(id, commit.expectedVersion);
      version = commit.expectedVersion + 1;
    }
    // Already there but for the first workflow of a definition (a no-op on the primary key otherwise).
    s.saveSnapshot.run(snapshot.hash, snapshot.json);
    for (const taskId of commit.removedTaskIds ?? []) {
      s.removeLogsOfTask.run(taskId);
      s.removeTask.run(taskId, id);
    }
    for (const task of commit.tasks) {
      const taskJson = JSON.stringify(task);
      s.upsertTask.run(task.taskId, id, task.seq, taskJson);
      // Should the transaction fail after all, no read finds this text in the database: the entry goes unused.
      this.#tasks.set(task.taskId, taskJson, task);
    }
    if (this.database.queueAttached) this.#queueOps.apply(commit.queue);
    // Later reads return the committed objects rather than parse them again, the workflow with the one shared
    // object of its definition.
    const def = this.#snapshots.parsed(snapshot.hash, () => snapshot.json) ?? wf.workflowDefinition;
    const workflow = def === wf.workflowDefinition ? wf : withDefinition(wf, def);
    return { version, json, hash: snapshot.hash, workflow };
  }
}

function withDefinition(workflow: WorkflowRecord, def: WorkflowDef): WorkflowRecord {
  const copy = Object.assign({}, workflow);
  copy.workflowDefinition = def;
  return copy;
}

function parse<T>(row: Row | undefined): T | null {
  return row ? (JSON.parse(row.json) as T) : null;
}

/** Every fixed statement of the store, prepared once. */
function prepare(db: Database.Database) {
  const rows = <P extends unknown[]>(sql: string) => db.prepare(sql) as unknown as Stmt<P, Row>;
  return {
    saveTaskDef: db.prepare('INSERT OR REPLACE INTO task_defs (name, json) VALUES (?, ?)'),
    getTaskDef: rows<[string]>('SELECT json FROM task_defs WHERE name = ?'),
    listTaskDefs: rows<[]>('SELECT json FROM task_defs ORDER BY name'),
    removeTaskDef: db.prepare('DELETE FROM task_defs WHERE name = ?'),
    insertWorkflowDef: db.prepare(
      'INSERT INTO workflow_defs (name, version, json) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    upsertWorkflowDef: db.prepare(
      'INSERT OR REPLACE INTO workflow_defs (name, version, json) VALUES (?, ?, ?)',
    ),
    getWorkflowDef: rows<[string, number]>('SELECT json FROM workflow_defs WHERE name = ? AND version = ?'),
    getLatestWorkflowDef: rows<[string]>(
      'SELECT json FROM workflow_defs WHERE name = ? ORDER BY version DESC LIMIT 1',
    ),
    listWorkflowDefs: rows<[]>('SELECT json FROM workflow_defs ORDER BY name, version'),
    removeWorkflowDef: db.prepare('DELETE FROM workflow_defs WHERE name = ? AND version = ?'),
    insertEventHandler: db.prepare(
      'INSERT INTO event_handlers (name, event, json) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    upsertEventHandler: db.prepare(
      'INSERT OR REPLACE INTO event_handlers (name, event, json) VALUES (?, ?, ?)',
    ),
    getEventHandler: rows<[string]>('SELECT json FROM event_handlers WHERE name = ?'),
    listEventHandlers: rows<[]>('SELECT json FROM event_handlers'),
    listEventHandlersOf: rows<[string]>('SELECT json FROM event_handlers WHERE event = ?'),
    removeEventHandler: db.prepare('DELETE FROM event_handlers WHERE name = ?'),
    workflowVersion: db.prepare('SELECT version FROM workflows WHERE workflow_id = ?') as Stmt<
      [string],
      { version: number }
    >,
    getWorkflow: db.prepare(
      'SELECT version, definition_hash, json FROM workflows WHERE workflow_id = ?',
    ) as Stmt<[string], WorkflowRow>,
    definitionHashOf: db.prepare('SELECT definition_hash FROM workflows WHERE workflow_id = ?') as Stmt<
      [string],
      { definition_hash: string | null }
    >,
    insertWorkflow: db.prepare(`
      INSERT INTO workflows (workflow_id, version, name, status, correlation_id, start_time, create_time,
        idempotency_key, definition_hash, json)
      VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`),
    updateWorkflow: db.prepare(`
      UPDATE workflows SET version = version + 1, status = ?, correlation_id = ?, start_time = ?,
        definition_hash = ?, json = ?
      WHERE workflow_id = ? AND version = ?`),
    saveSnapshot: db.prepare(
      'INSERT INTO workflow_def_snapshots (hash, json) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    getSnapshot: rows<[string]>('SELECT json FROM workflow_def_snapshots WHERE hash = ?'),
    removeUnusedSnapshot: db.prepare(`
      DELETE FROM workflow_def_snapshots WHERE hash = ?
      AND NOT EXISTS (SELECT 1 FROM workflows WHERE definition_hash = ?)`),
    // The newest holder blocks: highest create_time, then the last one created (rowid).
    anyHolder: db.prepare(`
      SELECT workflow_id FROM workflows WHERE name = ? AND idempotency_key = ?
      ORDER BY create_time DESC, rowid DESC LIMIT 1`) as Stmt<[string, string], { workflow_id: string }>,
    activeHolder: db.prepare(`
      SELECT workflow_id FROM workflows WHERE name = ? AND idempotency_key = ? AND status IN ('RUNNING', 'PAUSED')
      ORDER BY create_time DESC, rowid DESC LIMIT 1`) as Stmt<[string, string], { workflow_id: string }>,
    removeWorkflow: db.prepare('DELETE FROM workflows WHERE workflow_id = ?'),
    upsertTask: db.prepare(`
      INSERT INTO tasks (task_id, workflow_id, seq, json) VALUES (?, ?, ?, ?)
      ON CONFLICT (task_id) DO UPDATE SET seq = excluded.seq, json = excluded.json`),
    getTask: rows<[string]>('SELECT json FROM tasks WHERE task_id = ?'),
    tasksOf: db.prepare('SELECT task_id, json FROM tasks WHERE workflow_id = ? ORDER BY seq, rowid') as Stmt<
      [string],
      { task_id: string; json: string }
    >,
    removeTask: db.prepare('DELETE FROM tasks WHERE task_id = ? AND workflow_id = ?'),
    removeTasksOfWorkflow: db.prepare('DELETE FROM tasks WHERE workflow_id = ?'),
    removeLogsOfTask: db.prepare('DELETE FROM task_logs WHERE task_id = ?'),
    removeLogsOfWorkflow: db.prepare(
      'DELETE FROM task_logs WHERE task_id IN (SELECT task_id FROM tasks WHERE workflow_id = ?)',
    ),
    appendLog: db.prepare('INSERT INTO task_logs (task_id, json) VALUES (?, ?)'),
    logsOf: rows<[string]>('SELECT json FROM task_logs WHERE task_id = ? ORDER BY id'),
  };
}
