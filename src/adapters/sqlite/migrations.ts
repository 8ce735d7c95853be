/**
 * The schema of a Baton SQLite database, as an ordered list of migrations. `PRAGMA user_version` records how
 * many have been applied and `PRAGMA application_id` marks the file as Baton's. Never edit a released
 * migration: append a new one.
 */

/** `PRAGMA application_id` of a Baton database: "Batn" in ASCII. */
export const APPLICATION_ID = 0x4261746e;

/** Migration `i` takes a database from schema version `i` to `i + 1`. */
export const MIGRATIONS: readonly string[] = [
  // 1: definitions, executions, task logs and queue messages.
  `
  CREATE TABLE task_defs (
    name TEXT PRIMARY KEY,
    json TEXT NOT NULL
  );
  CREATE TABLE workflow_defs (
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (name, version)
  );
  CREATE TABLE event_handlers (
    name TEXT PRIMARY KEY,
    event TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE TABLE workflows (
    workflow_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    correlation_id TEXT,
    start_time INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    -- Set only when the create claimed the key: the workflow then holds (name, idempotency_key).
    idempotency_key TEXT,
    json TEXT NOT NULL
  );
  CREATE INDEX workflows_start_time ON workflows (start_time, workflow_id);
  CREATE INDEX workflows_name_start_time ON workflows (name, start_time);
  CREATE INDEX workflows_idempotency ON workflows (name, idempotency_key) WHERE idempotency_key IS NOT NULL;
  CREATE TABLE tasks (
    task_id TEXT PRIMARY KEY,
    workflow_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX tasks_workflow_seq ON tasks (workflow_id, seq);
  CREATE TABLE task_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX task_logs_task ON task_logs (task_id, id);
  CREATE TABLE queue_messages (
    -- The rowid: insertion order, the last tie-breaker of a poll (kept when a message is pushed again).
    ord INTEGER PRIMARY KEY,
    queue TEXT NOT NULL,
    id TEXT NOT NULL,
    priority INTEGER NOT NULL,
    visible_at INTEGER NOT NULL,
    -- Set while leased.
    token TEXT,
    lease_until INTEGER NOT NULL DEFAULT 0,
    -- When the message can be polled: visible_at while waiting, lease_until while leased.
    avail_at INTEGER NOT NULL,
    UNIQUE (queue, id)
  );
  CREATE INDEX queue_messages_avail ON queue_messages (queue, avail_at);
  CREATE INDEX queue_messages_order ON queue_messages (queue, priority DESC, visible_at, ord);
  `,
  // 2: search by status and correlation id without a scan.
  `
  CREATE INDEX workflows_status_start_time ON workflows (status, start_time);
  CREATE INDEX workflows_correlation ON workflows (correlation_id) WHERE correlation_id IS NOT NULL;
  `,
  // 3: each distinct definition snapshot stored once, keyed by the SHA-256 (hex) of its JSON text, instead of
  // inside every workflow row. Rows written before keep their embedded definition and no hash; both forms load.
  `
  CREATE TABLE workflow_def_snapshots (
    hash TEXT PRIMARY KEY,
    json TEXT NOT NULL
  );
  ALTER TABLE workflows ADD COLUMN definition_hash TEXT;
  -- Finds whether a snapshot is still used when a workflow is removed.
  CREATE INDEX workflows_definition_hash ON workflows (definition_hash) WHERE definition_hash IS NOT NULL;
  `,
];

/** The schema version this package writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;
