import { isTerminalTask } from '../model/status.js';
import type { Task } from '../model/task.js';
import type { WorkflowRecord } from '../model/workflow.js';
import type { QueueOp } from '../queue/queue.js';
import type { StoredWorkflow, WorkflowCommit } from '../store/store.js';

/** The decide queue: one message per workflow that needs a decide at its `visibleAt` (a durable wakeup). */
export const DECIDE_QUEUE = '_deciderQueue';

/** The queue a worker task waits in: `domain:taskType`, or `taskType` without a domain. */
export function taskQueueName(task: Pick<Task, 'taskType' | 'domain'>): string {
  return task.domain ? `${task.domain}:${task.taskType}` : task.taskType;
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
  readonly transitions: TaskTransition[] = [];
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
    return this.#workflowChanged || this.#changed.size > 0 || this.version === 0;
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
    return {
      workflow: this.workflow,
      expectedVersion: this.version,
      tasks: [...this.#changed.values()],
      queue,
    };
  }

  #pushWakeOps(queue: QueueOp[]): void {
    const id = this.workflow.workflowId;
    if (this.wakeAt === null) queue.push({ op: 'remove', queue: DECIDE_QUEUE, id });
    else if (this.wakeAt !== undefined)
      queue.push({ op: 'push', queue: DECIDE_QUEUE, id, visibleAt: this.wakeAt });
    for (const at of this.earlyWakes) {
      queue.push({ op: 'push', queue: DECIDE_QUEUE, id, visibleAt: at, keepEarlier: true });
    }
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
