import type { Task } from '../../model/task.js';
import type { WorkflowRecord } from '../../model/workflow.js';
import type { WorkflowCommit } from '../../store/store.js';

/** A workflow's state as the store last read or committed it, and the stored row it belongs to. */
export interface RecentState {
  readonly version: number;
  /** The row's JSON text and definition hash: the state is used only while the stored row is exactly this. */
  readonly json: string;
  readonly hash: string | null;
  readonly workflow: WorkflowRecord;
  /** In the database's order (`seq`, then insertion). Internal: callers get copies. */
  readonly tasks: Task[];
}

/**
 * The state of recently used workflows, so that loading a workflow whose stored row has not changed reads that
 * one row instead of all its tasks: without it a decide costs more as the workflow's history grows (a
 * 1,000-iteration DO_WHILE reads every earlier iteration's task at every step).
 *
 * The database stays the only source of truth. A state is used only when the row just read has its version,
 * JSON text and definition hash; tasks change only in commits, and every commit bumps the version, so the
 * tasks are those of that row. A commit's state is recorded once its transaction has committed, made from the
 * state at its `expectedVersion` with the commit's task delta applied (or forgotten when that state is not
 * known). Another process's commits just make the next load read the database. Bounded: least recently used
 * workflows go first when there are more than `maxWorkflows` or more than `maxTasks` tasks in all.
 */
export class RecentWorkflows {
  readonly #states = new Map<string, RecentState>();
  readonly #maxWorkflows: number;
  readonly #maxTasks: number;
  #taskCount = 0;

  constructor(maxWorkflows: number, maxTasks: number) {
    this.#maxWorkflows = maxWorkflows;
    this.#maxTasks = maxTasks;
  }

  /** The state of a workflow whose stored row was just read as (version, json, hash), if known. */
  get(workflowId: string, version: number, json: string, hash: string | null): RecentState | undefined {
    const state = this.#states.get(workflowId);
    if (state === undefined || state.version !== version || state.json !== json || state.hash !== hash) {
      return undefined;
    }
    // Most recently used last: Map keeps insertion order.
    this.#states.delete(workflowId);
    this.#states.set(workflowId, state);
    return state;
  }

  /** Records the state of a workflow as read in full from the database. */
  set(workflowId: string, state: RecentState): void {
    this.delete(workflowId);
    this.#states.set(workflowId, state);
    this.#taskCount += state.tasks.length;
    while (
      this.#states.size > 1 &&
      (this.#states.size > this.#maxWorkflows || this.#taskCount > this.#maxTasks)
    ) {
      this.delete(this.#states.keys().next().value as string);
    }
  }

  /** Records the state a commit made, once its transaction has committed. */
  committed(commit: WorkflowCommit, row: Omit<RecentState, 'tasks'>): void {
    const workflowId = commit.workflow.workflowId;
    let before: Task[] = [];
    if (commit.expectedVersion > 0) {
      const state = this.#states.get(workflowId);
      if (state === undefined || state.version !== commit.expectedVersion) {
        this.delete(workflowId);
        return;
      }
      before = state.tasks.slice();
    }
    const tasks = applyDelta(before, commit);
    if (tasks === null) this.delete(workflowId);
    else this.set(workflowId, { ...row, tasks });
  }

  delete(workflowId: string): void {
    const state = this.#states.get(workflowId);
    if (state === undefined) return;
    this.#taskCount -= state.tasks.length;
    this.#states.delete(workflowId);
  }
}

/**
 * The tasks after a commit, in the order the database gives them (`seq`, then insertion: a new task goes after
 * every task of a lower or equal `seq`), or null when that order cannot be told (a stored task's `seq` changed).
 */
function applyDelta(before: Task[], commit: WorkflowCommit): Task[] | null {
  let tasks = before;
  if (commit.removedTaskIds && commit.removedTaskIds.length > 0) {
    const gone = new Set(commit.removedTaskIds);
    tasks = tasks.filter((t) => !gone.has(t.taskId));
  }
  for (const task of commit.tasks) {
    let i = tasks.length - 1;
    while (i >= 0 && tasks[i].taskId !== task.taskId) i--;
    if (i >= 0) {
      if (tasks[i].seq !== task.seq) return null;
      tasks[i] = task;
      continue;
    }
    let at = tasks.length;
    while (at > 0 && tasks[at - 1].seq > task.seq) at--;
    tasks.splice(at, 0, task);
  }
  return tasks;
}
