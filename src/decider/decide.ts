import {
  isRetriableTask,
  isSuccessfulTask,
  isTerminalTask,
  isTerminalWorkflow,
  isUnsuccessfulTerminalTask,
} from '../model/status.js';
import type { Task } from '../model/task.js';
import type { ResolvedTaskDef } from '../model/task-def.js';
import type { WorkflowRecord } from '../model/workflow.js';
import type { WorkflowTask } from '../model/workflow-def.js';
import type { TaskTypeRegistry } from '../tasks/registry.js';
import type { Decision, WorkflowOutcome } from './decision.js';
import { expectedRetries } from './task-defs.js';
import { TaskFactory } from './task-factory.js';
import { TerminateWorkflowError } from './terminate-workflow-error.js';
import { earliestDeadline, taskDeadlines, workflowDeadline } from './timeouts.js';

export { domainFor } from './task-factory.js';

/** Everything the decider reads. It performs no I/O and reads no clock. */
export interface DeciderInput {
  readonly workflow: WorkflowRecord;
  /** The workflow's tasks in `seq` order. */
  readonly tasks: readonly Task[];
  readonly now: number;
  /** Source of new task ids. */
  readonly newId: () => string;
  readonly taskTypes: TaskTypeRegistry;
  /** Allowed environment variables for `${NAME}`. */
  readonly env?: (name: string) => string | undefined;
  /**
   * Whether a task domain has a live worker for a task type, for taskToDomain lists (a snapshot the engine
   * keeps of recent polls; the decider only reads it). Absent: no domain counts as live.
   */
  readonly isDomainActive?: (taskType: string, domain: string) => boolean;
}

// Conductor's TaskType.isBuiltIn: control-flow tasks are never retried by the decider.
const NEVER_RETRIED = new Set([
  'DECISION',
  'SWITCH',
  'FORK',
  'FORK_JOIN',
  'FORK_JOIN_DYNAMIC',
  'JOIN',
  'EXCLUSIVE_JOIN',
  'DO_WHILE',
]);

/**
 * One pass of Conductor's decider (`DeciderService.decide`): checks timeouts, retries failed tasks, moves past
 * finished ones to the next step, and says whether the workflow is over. Pure: same input, same decision.
 */
export function decide(input: DeciderInput): Decision {
  return new DecidePass(input).run();
}

class DecidePass {
  readonly #in: DeciderInput;
  readonly #workflow: WorkflowRecord;
  /** The tasks as this pass sees them: inputs, with this pass's changes and new tasks applied. */
  readonly #tasks: Task[];
  readonly #factory: TaskFactory;
  readonly #scheduled: Task[] = [];
  readonly #updated = new Map<string, Task>();
  #wakeAt: number | null = null;

  constructor(input: DeciderInput) {
    this.#in = input;
    this.#workflow = input.workflow;
    this.#tasks = input.tasks.slice();
    this.#factory = new TaskFactory(
      () => this.#workflow,
      this.#tasks,
      input,
      (t) => this.#scheduled.push(t),
    );
  }

  run(): Decision {
    const workflow = this.#workflow;
    if (isTerminalWorkflow(workflow.status)) return this.#finish(null);
    const timedOut = this.#checkWorkflowTimeout();
    if (timedOut) return this.#finish(timedOut);
    if (workflow.status === 'PAUSED') return this.#finish(null);

    if (this.#tasks.every((t) => t.status === 'SKIPPED')) {
      const first = this.#skipSkipped(workflow.workflowDefinition.tasks[0]);
      if (!first) return this.#finish({ status: 'COMPLETED', reason: null, task: null });
      const failed = this.#schedule(first, 0);
      if (failed) return this.#finish(failed);
    }
    const existing = this.#in.tasks.length;
    for (let i = 0; i < existing; i++) {
      const outcome = this.#visit(i);
      if (outcome) return this.#finish(outcome);
    }
    if (this.#scheduled.length === 0 && this.#isComplete()) return this.#finish(this.#completion());
    return this.#finish(null);
  }

  #checkWorkflowTimeout(): WorkflowOutcome | null {
    const deadline = workflowDeadline(this.#workflow);
    if (!deadline) return null;
    if (this.#in.now < deadline.dueAt) {
      this.#wake(deadline.dueAt);
      return null;
    }
    if ((this.#workflow.workflowDefinition.timeoutPolicy ?? 'ALERT_ONLY') !== 'TIME_OUT_WF') return null;
    return { status: 'TIMED_OUT', reason: deadline.reason, task: null };
  }

  /** Processes one task that the decider has not moved past yet; returns an outcome when the workflow ends. */
  #visit(i: number): WorkflowOutcome | null {
    let task = this.#tasks[i];
    if (task.retried || task.executed || task.status === 'SKIPPED') return null;
    const def = this.#factory.defOf(task.workflowTask);
    if (!isTerminalTask(task.status)) {
      const result = this.#checkDeadlines(i, task, def);
      if (!result) {
        this.#wakeForType(task);
        return null;
      }
      if (isOutcome(result)) return result;
      task = result;
    }
    if (isUnsuccessfulTerminalTask(task.status)) {
      const handled = this.#handleFailure(i, task, def);
      if (handled === 'retried') return null;
      if (isOutcome(handled)) return handled;
      task = handled;
    }
    task = this.#put(i, { ...task, executed: true });
    const ending = isSuccessfulTask(task.status) ? this.#typeOf(task).outcome?.(task) : null;
    if (ending) return { status: ending.status, reason: ending.reason, task, output: ending.output };
    return this.#scheduleNext(task);
  }

  /** Fires due deadlines: returns the timed-out task, a workflow outcome (TIME_OUT_WF), or null. */
  #checkDeadlines(i: number, task: Task, def: ResolvedTaskDef): Task | WorkflowOutcome | null {
    const now = this.#in.now;
    const earliest = earliestDeadline(task, def);
    if (earliest === null) return null;
    if (now < earliest) {
      this.#wake(earliest);
      return null;
    }
    for (const deadline of taskDeadlines(task, def)) {
      if (now < deadline.dueAt) {
        this.#wake(deadline.dueAt);
        continue;
      }
      // A response timeout times the task out whatever the policy; the others follow timeoutPolicy.
      const policy = deadline.kind === 'response' ? 'RETRY' : def.timeoutPolicy;
      if (policy === 'ALERT_ONLY') continue;
      const timedOut = this.#put(i, {
        ...task,
        status: 'TIMED_OUT',
        reasonForIncompletion: deadline.reason,
        endTime: now,
        updateTime: now,
      });
      if (policy === 'TIME_OUT_WF') return { status: 'TIMED_OUT', reason: deadline.reason, task: timedOut };
      return timedOut;
    }
    return null;
  }

  /** Retries a failed task, or lets an optional/permissive one pass, or ends the workflow. */
  #handleFailure(i: number, task: Task, def: ResolvedTaskDef): 'retried' | Task | WorkflowOutcome {
    const step = task.workflowTask;
    const canRetry =
      isRetriableTask(task.status) &&
      !NEVER_RETRIED.has(task.taskType) &&
      expectedRetries(step, def) > task.retryCount;
    if (canRetry) {
      this.#put(i, { ...task, retried: true });
      this.#factory.retryCopy(task);
      return 'retried';
    }
    if (step.optional) return this.#put(i, { ...task, status: 'COMPLETED_WITH_ERRORS' });
    if (step.permissive) return task;
    const status =
      task.status === 'CANCELED' ? 'TERMINATED' : task.status === 'TIMED_OUT' ? 'TIMED_OUT' : 'FAILED';
    return {
      status,
      reason: `Task ${task.taskId} failed with status: ${status} and reason: '${task.reasonForIncompletion}'`,
      task,
    };
  }

  /** Schedules what follows a finished task: its type's choice (a SWITCH branch) or the definition's next step. */
  #scheduleNext(task: Task): WorkflowOutcome | null {
    const index = this.#factory.index;
    const chosen = this.#typeOf(task).next?.(task, index);
    const steps = chosen ?? [index.next(task.workflowTask.taskReferenceName)];
    for (const step of steps) {
      const next = this.#skipSkipped(step);
      const failed = next ? this.#schedule(next, task.iteration) : null;
      if (failed) return failed;
    }
    return null;
  }

  /**
   * Schedules a step; a task type that cannot schedule it (TerminateWorkflowError) fails the workflow, and
   * what that step had created is dropped, as Conductor's mapper exception leaves nothing behind.
   */
  #schedule(step: WorkflowTask, iteration: number): WorkflowOutcome | null {
    const before = this.#tasks.length;
    try {
      this.#factory.scheduleStep(step, iteration);
      return null;
    } catch (error) {
      if (!(error instanceof TerminateWorkflowError)) throw error;
      this.#tasks.length = before;
      return { status: 'FAILED', reason: error.message, task: null };
    }
  }

  /** The first step from `step` on whose task was not skipped (skipTask), following the navigation. */
  #skipSkipped(step: WorkflowTask | null | undefined): WorkflowTask | null {
    const index = this.#factory.index;
    while (step && this.#factory.findByRef(step.taskReferenceName)?.status === 'SKIPPED') {
      step = index.next(step.taskReferenceName);
    }
    return step ?? null;
  }

  /** Complete when nothing is pending, nothing is scheduled and the last top-level step has run. */
  #isComplete(): boolean {
    for (const t of this.#tasks) if (!t.retried && !isTerminalTask(t.status)) return false;
    const last = this.#factory.index.lastTopLevel;
    return !last || this.#factory.findByRef(last.taskReferenceName) !== undefined;
  }

  /** COMPLETED, unless a permissive task failed on the way (Conductor fails the workflow at its end then). */
  #completion(): WorkflowOutcome {
    for (const t of this.#tasks) {
      if (t.retried || !t.workflowTask.permissive || t.workflowTask.optional) continue;
      if (isUnsuccessfulTerminalTask(t.status)) {
        return {
          status: 'FAILED',
          reason: `Task ${t.taskId} failed with status: ${t.status} and reason: '${t.reasonForIncompletion}'`,
          task: t,
        };
      }
    }
    return { status: 'COMPLETED', reason: null, task: null };
  }

  #finish(outcome: WorkflowOutcome | null): Decision {
    for (const t of this.#scheduled) {
      const due = earliestDeadline(t, this.#factory.defOf(t.workflowTask));
      if (due !== null) this.#wake(due);
      // A task created in this pass is not visited until the next decide: its type's wakeup (a delayed
      // SUB_WORKFLOW start, a WAIT's end) must be known now.
      if (!isTerminalTask(t.status)) this.#wakeForType(t);
    }
    return {
      scheduled: this.#scheduled,
      updated: [...this.#updated.values()],
      outcome,
      wakeAt: outcome ? null : this.#wakeAt,
    };
  }

  #typeOf(task: Task) {
    return this.#in.taskTypes.get(task.workflowTask.type);
  }

  #wakeForType(task: Task): void {
    const at = this.#typeOf(task).wakeAt?.(task);
    if (at != null) this.#wake(at);
  }

  #wake(at: number): void {
    if (this.#wakeAt === null || at < this.#wakeAt) this.#wakeAt = at;
  }

  #put(i: number, task: Task): Task {
    this.#tasks[i] = task;
    const fresh = this.#scheduled.findIndex((t) => t.taskId === task.taskId);
    if (fresh >= 0) this.#scheduled[fresh] = task;
    else this.#updated.set(task.taskId, task);
    return task;
  }
}

function isOutcome(value: Task | WorkflowOutcome): value is WorkflowOutcome {
  return !('taskId' in value);
}
