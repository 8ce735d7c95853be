import type { EngineEventName } from '../events.js';
import { isTerminalTask, isTerminalWorkflow } from '../model/status.js';
import type { Task } from '../model/task.js';
import type { WorkflowRecord } from '../model/workflow.js';
import type { QueueOp } from '../queue/queue.js';
import type { StoredWorkflow, WorkflowCommit } from '../store/store.js';
import type { PlannedFailureWorkflow } from './failure-workflow.js';

/** The decide queue: one message per workflow that needs a decide at its `visibleAt` (a durable wakeup). */
export const DECIDE_QUEUE = '_deciderQueue';

/** The queue a worker task waits in: `domain:taskType`, or `taskType` without a domain. */
export function taskQueueName(task: Pick<Task, 'taskType' | 'domain'>): string {
  return queueName(task.taskType, task.domain);
}

/** The queue of a task type in a domain (none: the bare type). */
export function queueName(taskType: string, domain: string | null | undefined): string {
  return domain ? `${domain}:${taskType}` : taskType;
}

/** A task whose status changed in this unit of work, for the events emitted after commit. */
export interface TaskTransition {
  readonly task: Task;
  readonly from: Task['status'] | null;
}

/**
 * One workflow being changed: the loaded state plus the delta (changed tasks, workflow row) that becomes one
 * atomic commit. Stored objects are never mutated: every change replaces an object.
 */
export class WorkingState {
  workflow: WorkflowRecord;
  readonly tasks: Task[];
  readonly version: number;
  readonly #original = new Map<string, Task>();
  readonly #changed = new Map<string, Task>();
  readonly #created: Task[] = [];
  /** Removed stored tasks (rerun, restart) by id, as they were stored (their queue messages go too). */
  readonly #removed = new Map<string, Task>();
  readonly transitions: TaskTransition[] = [];
  /** Workflow events an operation announced (`workflow.paused`, …), emitted after the commit. */
  readonly announcements: Array<{ readonly name: EngineEventName; readonly workflow: WorkflowRecord }> = [];
  /** The failure workflow to start once this unit of work is committed (see failure-workflow.ts). */
  failureWorkflow: PlannedFailureWorkflow | null = null;
  #workflowChanged = false;
  /** Next decide wanted at (null: none); undefined leaves the decide queue untouched. */
  wakeAt: number | null | undefined = undefined;
  /** Earlier-only wakeups (a poll adds a response timeout without recomputing the rest). */
  readonly earlyWakes: number[] = [];

  constructor(stored: StoredWorkflow) {
    this.workflow = stored.workflow;
    // The store hands out a fresh array (its task objects are shared and read-only), so it is ours to extend.
    this.tasks = stored.tasks as Task[];
    this.version = stored.version;
  }

  static create(workflow: WorkflowRecord): WorkingState {
    return new WorkingState({ workflow, version: 0, tasks: [] });
  }

  get hasChanges(): boolean {
    return this.#workflowChanged || this.#changed.size > 0 || this.#removed.size > 0 || this.version === 0;
  }

  /** Replaces the workflow row. */
  setWorkflow(patch: Partial<WorkflowRecord>): void {
    this.workflow = { ...this.workflow, ...patch };
    this.#workflowChanged = true;
  }

  findTask(taskId: string): Task | undefined {
    const i = this.#indexOf(taskId);
    return i >= 0 ? this.tasks[i] : undefined;
  }

  addTask(task: Task): void {
    this.tasks.push(task);
    this.recordNewTask(task);
  }

  /** Records a task that was already appended to `tasks` (by a TaskFactory working on this list). */
  recordNewTask(task: Task): void {
    this.#created.push(task);
    this.#changed.set(task.taskId, task);
    this.transitions.push({ task, from: null });
  }

  /** Tasks created in this unit of work, as first created (look up their current version by id). */
  createdTasks(): readonly Task[] {
    return this.#created;
  }

  /**
   * Deletes tasks (rerun, restart): they leave `tasks` now and the store with the commit, and a worker task that
   * was waiting in its queue leaves the queue. Unknown ids are ignored.
   */
  removeTasks(taskIds: Iterable<string>): void {
    const gone = new Set(taskIds);
    if (gone.size === 0) return;
    const created = new Set(this.#created.map((t) => t.taskId));
    let kept = 0;
    for (const task of this.tasks) {
      if (!gone.has(task.taskId)) {
        this.tasks[kept++] = task;
        continue;
      }
      // A task created in this unit of work was never stored: it just disappears.
      if (!created.has(task.taskId)) this.#removed.set(task.taskId, this.#original.get(task.taskId) ?? task);
      this.#changed.delete(task.taskId);
      this.#original.delete(task.taskId);
    }
    this.tasks.length = kept;
    for (let i = this.#created.length - 1; i >= 0; i--) {
      if (gone.has(this.#created[i].taskId)) this.#created.splice(i, 1);
    }
    for (let i = this.transitions.length - 1; i >= 0; i--) {
      if (gone.has(this.transitions[i].task.taskId)) this.transitions.splice(i, 1);
    }
  }

  /** Records a workflow event (`workflow.paused`, …) to emit after the commit, with the workflow as it is now. */
  announce(name: EngineEventName): void {
    this.announcements.push({ name, workflow: this.workflow });
  }

  /** Replaces a task (matched by id) with its new version. */
  putTask(task: Task): void {
    const i = this.#indexOf(task.taskId);
    if (i < 0) throw new Error(`Task ${task.taskId} is not part of workflow ${this.workflow.workflowId}`);
    const previous = this.tasks[i];
    if (!this.#original.has(task.taskId) && !this.#changed.has(task.taskId))
      this.#original.set(task.taskId, previous);
    this.tasks[i] = task;
    this.#changed.set(task.taskId, task);
    if (previous.status !== task.status) this.transitions.push({ task, from: previous.status });
  }

  /**
   * The commit for this unit of work. Queue ops follow from the task changes: a worker task has a message in
   * its queue exactly while it is SCHEDULED, visible after its `callbackAfterSeconds`.
   */
  toCommit(now: number, isWorkerTask: (task: Task) => boolean): WorkflowCommit {
    const queue: QueueOp[] = [];
    for (const removed of this.#removed.values()) {
      if (removed.status === 'SCHEDULED' && isWorkerTask(removed)) {
        queue.push({ op: 'remove', queue: taskQueueName(removed), id: removed.taskId });
      }
    }
    for (const task of this.#changed.values()) {
      if (!isWorkerTask(task)) continue;
      const before = this.#original.get(task.taskId);
      const wasQueued = before?.status === 'SCHEDULED';
      if (task.status === 'SCHEDULED' && (!wasQueued || before !== task)) {
        queue.push({
          op: 'push',
          queue: taskQueueName(task),
          id: task.taskId,
          priority: task.workflowPriority,
          visibleAt: now + task.callbackAfterSeconds * 1000,
        });
      } else if (wasQueued && task.status !== 'SCHEDULED') {
        queue.push({ op: 'remove', queue: taskQueueName(before), id: task.taskId });
      }
    }
    this.#pushWakeOps(queue);
    // A child that ends wakes its parent in the same commit, so the parent's SUB_WORKFLOW task moves on even if
    // the process dies before the in-memory notice (onWorkflowEnded) decides the parent. (Restart recovery.)
    const parentId = this.workflow.parentWorkflowId;
    if (parentId && this.#workflowChanged && isTerminalWorkflow(this.workflow.status)) {
      queue.push({ op: 'push', queue: DECIDE_QUEUE, id: parentId, visibleAt: now, keepEarlier: true });
    }
    return {
      workflow: this.workflow,
      expectedVersion: this.version,
      tasks: [...this.#changed.values()],
      removedTaskIds: this.#removed.size > 0 ? [...this.#removed.keys()] : undefined,
      queue,
    };
  }

  /**
   * One op for the workflow's decide message: the earliest of `wakeAt` and the early wakes. (A separate remove
   * and push per commit, the common case of a task handed to a worker, doubled the queue's writes.)
   */
  #pushWakeOps(queue: QueueOp[]): void {
    const id = this.workflow.workflowId;
    const early = this.earlyWakes.length > 0 ? Math.min(...this.earlyWakes) : null;
    if (this.wakeAt === undefined) {
      // The stored wakeup stands; an early wake may only bring it forward.
      if (early !== null)
        queue.push({ op: 'push', queue: DECIDE_QUEUE, id, visibleAt: early, keepEarlier: true });
      return;
    }
    const at = this.wakeAt === null ? early : early === null ? this.wakeAt : Math.min(this.wakeAt, early);
    if (at === null) queue.push({ op: 'remove', queue: DECIDE_QUEUE, id });
    else queue.push({ op: 'push', queue: DECIDE_QUEUE, id, visibleAt: at });
  }

  /** Tasks still pending (not terminal, not superseded by a retry). */
  pendingTasks(): Task[] {
    return this.tasks.filter((t) => !t.retried && !isTerminalTask(t.status));
  }

  #indexOf(taskId: string): number {
    for (let i = this.tasks.length - 1; i >= 0; i--) if (this.tasks[i].taskId === taskId) return i;
    return -1;
  }
}
