import { ConflictError, IdempotencyConflictError, VersionConflictError } from '../errors.js';
import type { EventHandler } from '../model/event-handler.js';
import {
  compareForSearch,
  matchesSearch,
  type WorkflowSearchCriteria,
  type WorkflowSearchResult,
  workflowSummary,
} from '../model/search.js';
import { isTerminalWorkflow } from '../model/status.js';
import type { Task } from '../model/task.js';
import type { TaskDef } from '../model/task-def.js';
import type { TaskExecLog } from '../model/task-result.js';
import type { WorkflowDef } from '../model/workflow-def.js';
import type { Queue } from '../queue/queue.js';
import type { Store, StoredWorkflow, WorkflowCommit } from './store.js';

interface WorkflowEntry {
  workflow: StoredWorkflow['workflow'];
  version: number;
  /** In `seq` order (new tasks always carry a higher seq, so appending keeps the order). */
  tasks: Task[];
  /** taskId → index in `tasks`, kept once the workflow has many tasks (a scan is cheaper for a few). */
  positions: Map<string, number> | null;
}

/** From this many tasks on, a workflow's task positions are kept in a map. */
const INDEXED_FROM = 16;

function indexOf(entry: WorkflowEntry, taskId: string): number {
  if (entry.positions) return entry.positions.get(taskId) ?? -1;
  const tasks = entry.tasks;
  // Newest first: the task a commit or a worker is about is usually a recent one.
  for (let i = tasks.length - 1; i >= 0; i--) if (tasks[i].taskId === taskId) return i;
  return -1;
}

/**
 * The in-process store. It keeps the objects it is given (no copies: a commit costs the size of its delta), so
 * the engine treats every stored object as immutable and copies at the public API boundary.
 */
export class MemoryStore implements Store {
  readonly name = 'memory';
  readonly #taskDefs = new Map<string, TaskDef>();
  readonly #workflowDefs = new Map<string, Map<number, WorkflowDef>>();
  readonly #workflows = new Map<string, WorkflowEntry>();
  /** taskId → workflowId */
  readonly #taskOwners = new Map<string, string>();
  readonly #logs = new Map<string, TaskExecLog[]>();
  /** `workflowName \0 idempotencyKey` → the ids of the workflows holding it, oldest first. */
  readonly #idempotencyKeys = new Map<string, string[]>();
  readonly #eventHandlers = new Map<string, EventHandler>();

  async saveTaskDefs(defs: readonly TaskDef[]): Promise<void> {
    for (const def of defs) this.#taskDefs.set(def.name, def);
  }

  async getTaskDef(name: string): Promise<TaskDef | null> {
    return this.#taskDefs.get(name) ?? null;
  }

  async listTaskDefs(): Promise<TaskDef[]> {
    return [...this.#taskDefs.values()];
  }

  async removeTaskDef(name: string): Promise<boolean> {
    return this.#taskDefs.delete(name);
  }

  async saveWorkflowDef(def: WorkflowDef, overwrite: boolean): Promise<void> {
    const version = def.version ?? 1;
    let versions = this.#workflowDefs.get(def.name);
    if (!versions) {
      versions = new Map();
      this.#workflowDefs.set(def.name, versions);
    }
    if (!overwrite && versions.has(version)) {
      throw new ConflictError(`Workflow definition ${def.name} version ${version} already exists`);
    }
    versions.set(version, def);
  }

  async getWorkflowDef(name: string, version?: number): Promise<WorkflowDef | null> {
    const versions = this.#workflowDefs.get(name);
    if (!versions) return null;
    if (version !== undefined) return versions.get(version) ?? null;
    let latest: WorkflowDef | null = null;
    for (const [v, def] of versions) if (!latest || v > (latest.version ?? 1)) latest = def;
    return latest;
  }

  async listWorkflowDefs(): Promise<WorkflowDef[]> {
    return [...this.#workflowDefs.values()].flatMap((versions) => [...versions.values()]);
  }

  async removeWorkflowDef(name: string, version: number): Promise<boolean> {
    const versions = this.#workflowDefs.get(name);
    const removed = versions?.delete(version) ?? false;
    if (versions?.size === 0) this.#workflowDefs.delete(name);
    return removed;
  }

  async saveEventHandler(handler: EventHandler, overwrite: boolean): Promise<void> {
    if (!overwrite && this.#eventHandlers.has(handler.name)) {
      throw new ConflictError(`Event handler ${handler.name} already exists`);
    }
    this.#eventHandlers.set(handler.name, handler);
  }

  async getEventHandler(name: string): Promise<EventHandler | null> {
    return this.#eventHandlers.get(name) ?? null;
  }

  async listEventHandlers(event?: string): Promise<EventHandler[]> {
    const all = [...this.#eventHandlers.values()];
    return event === undefined ? all : all.filter((h) => h.event === event);
  }

  async removeEventHandler(name: string): Promise<boolean> {
    return this.#eventHandlers.delete(name);
  }

  async commit(commit: WorkflowCommit): Promise<number> {
    return this.commitNow(commit);
  }

  /** Synchronous commit, for callers in the same process. */
  commitNow(commit: WorkflowCommit): number {
    const id = commit.workflow.workflowId;
    let entry = this.#workflows.get(id);
    if (commit.expectedVersion === 0) {
      if (entry) throw new VersionConflictError(id, 0);
      if (commit.idempotency) this.#claimKey(commit);
      entry = { workflow: commit.workflow, version: 0, tasks: [], positions: null };
      this.#workflows.set(id, entry);
    } else if (!entry || entry.version !== commit.expectedVersion) {
      throw new VersionConflictError(id, commit.expectedVersion);
    }
    entry.workflow = commit.workflow;
    entry.version++;
    if (commit.removedTaskIds?.length) this.#removeTasks(entry, commit.removedTaskIds);
    for (const task of commit.tasks) this.#upsertTask(entry, task);
    return entry.version;
  }

  async getWorkflow(
    workflowId: string,
    options?: { includeTasks?: boolean },
  ): Promise<StoredWorkflow | null> {
    return this.getWorkflowNow(workflowId, options?.includeTasks ?? true);
  }

  getWorkflowNow(workflowId: string, includeTasks = true): StoredWorkflow | null {
    const entry = this.#workflows.get(workflowId);
    if (!entry) return null;
    return {
      workflow: entry.workflow,
      version: entry.version,
      tasks: includeTasks ? entry.tasks.slice() : [],
    };
  }

  async searchWorkflows(criteria: WorkflowSearchCriteria): Promise<WorkflowSearchResult> {
    const hits: StoredWorkflow['workflow'][] = [];
    for (const entry of this.#workflows.values()) {
      if (matchesSearch(entry.workflow, criteria)) hits.push(entry.workflow);
    }
    hits.sort((a, b) => compareForSearch(a, b, criteria.sort));
    const page = hits.slice(criteria.start, criteria.start + criteria.size);
    return { totalHits: hits.length, results: page.map(workflowSummary) };
  }

  async getTask(taskId: string): Promise<Task | null> {
    const owner = this.#taskOwners.get(taskId);
    const entry = owner === undefined ? undefined : this.#workflows.get(owner);
    const index = entry ? indexOf(entry, taskId) : -1;
    return entry && index >= 0 ? entry.tasks[index] : null;
  }

  async removeWorkflow(workflowId: string): Promise<boolean> {
    const entry = this.#workflows.get(workflowId);
    if (!entry) return false;
    for (const task of entry.tasks) {
      this.#taskOwners.delete(task.taskId);
      this.#logs.delete(task.taskId);
    }
    this.#releaseKey(entry.workflow);
    return this.#workflows.delete(workflowId);
  }

  async appendTaskLogs(logs: readonly TaskExecLog[]): Promise<void> {
    for (const log of logs) {
      let list = this.#logs.get(log.taskId);
      if (!list) {
        list = [];
        this.#logs.set(log.taskId, list);
      }
      list.push(log);
    }
  }

  async getTaskLogs(taskId: string): Promise<TaskExecLog[]> {
    return this.#logs.get(taskId)?.slice() ?? [];
  }

  commitsQueue(_queue: Queue): boolean {
    // In one process the engine applies queue ops right after the commit with no await in between.
    return false;
  }

  async close(): Promise<void> {}

  /** Checks and records the idempotency claim of a create (throws before anything is written). */
  #claimKey(commit: WorkflowCommit): void {
    const { workflowName, idempotencyKey, workflowId } = commit.workflow;
    if (idempotencyKey === null || idempotencyKey === undefined) return;
    const key = `${workflowName}\0${idempotencyKey}`;
    const holders = this.#idempotencyKeys.get(key) ?? [];
    const onlyActive = commit.idempotency?.conflictsWith === 'active';
    let blocker: StoredWorkflow['workflow'] | null = null;
    for (const holderId of holders) {
      const holder = this.#workflows.get(holderId)?.workflow;
      if (!holder || (onlyActive && isTerminalWorkflow(holder.status))) continue;
      if (!blocker || holder.createTime >= blocker.createTime) blocker = holder;
    }
    if (blocker) throw new IdempotencyConflictError(workflowName, idempotencyKey, blocker.workflowId);
    holders.push(workflowId);
    this.#idempotencyKeys.set(key, holders);
  }

  #releaseKey(workflow: StoredWorkflow['workflow']): void {
    if (workflow.idempotencyKey === null || workflow.idempotencyKey === undefined) return;
    const key = `${workflow.workflowName}\0${workflow.idempotencyKey}`;
    const holders = this.#idempotencyKeys.get(key)?.filter((id) => id !== workflow.workflowId) ?? [];
    if (holders.length > 0) this.#idempotencyKeys.set(key, holders);
    else this.#idempotencyKeys.delete(key);
  }

  #upsertTask(entry: WorkflowEntry, task: Task): void {
    const index = indexOf(entry, task.taskId);
    if (index >= 0) {
      entry.tasks[index] = task;
      return;
    }
    const tasks = entry.tasks;
    if (tasks.length > 0 && tasks[tasks.length - 1].seq > task.seq) {
      // Out-of-order insert (a SKIPPED placeholder has seq 0): keep `seq` order and rebuild positions.
      let at = tasks.length;
      while (at > 0 && tasks[at - 1].seq > task.seq) at--;
      tasks.splice(at, 0, task);
      this.#reindex(entry);
    } else {
      tasks.push(task);
      if (entry.positions) entry.positions.set(task.taskId, tasks.length - 1);
      else if (tasks.length > INDEXED_FROM) this.#reindex(entry);
    }
    this.#taskOwners.set(task.taskId, task.workflowInstanceId);
  }

  #removeTasks(entry: WorkflowEntry, ids: readonly string[]): void {
    const gone = new Set(ids);
    entry.tasks = entry.tasks.filter((t) => !gone.has(t.taskId));
    for (const id of ids) {
      this.#taskOwners.delete(id);
      this.#logs.delete(id);
    }
    this.#reindex(entry);
  }

  #reindex(entry: WorkflowEntry): void {
    if (entry.tasks.length <= INDEXED_FROM) {
      entry.positions = null;
      return;
    }
    const positions = new Map<string, number>();
    entry.tasks.forEach((t, i) => {
      positions.set(t.taskId, i);
    });
    entry.positions = positions;
  }
}
