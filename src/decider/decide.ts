import {
  isRetriableTask,
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
import { defIndex } from './def-index.js';
import { makeScope } from './expression-scope.js';
import { retryDelaySeconds } from './retry.js';
import { effectiveTaskDef, expectedRetries } from './task-defs.js';
import { resolveTaskInput } from './task-input.js';
import { taskDeadlines, workflowDeadline } from './timeouts.js';

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
  readonly #scheduled: Task[] = [];
  readonly #updated = new Map<string, Task>();
  #seq: number;
  #wakeAt: number | null = null;

  constructor(input: DeciderInput) {
    this.#in = input;
    this.#workflow = input.workflow;
    this.#tasks = input.tasks.slice();
    this.#seq = this.#tasks.reduce((max, t) => Math.max(max, t.seq), 0);
  }

  run(): Decision {
    const workflow = this.#workflow;
    if (isTerminalWorkflow(workflow.status)) return this.#finish(null);
    const timedOut = this.#checkWorkflowTimeout();
    if (timedOut) return this.#finish(timedOut);
    if (workflow.status === 'PAUSED') return this.#finish(null);

    if (this.#tasks.every((t) => t.status === 'SKIPPED')) {
      const first = this.#firstStep();
      if (!first) return this.#finish({ status: 'COMPLETED', reason: null, task: null });
      this.#scheduleStep(first, 0);
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

  #firstStep(): WorkflowTask | undefined {
    const index = defIndex(this.#workflow.workflowDefinition);
    let step: WorkflowTask | null | undefined = this.#workflow.workflowDefinition.tasks[0];
    while (step && this.#isSkipped(step.taskReferenceName)) step = index.next(step.taskReferenceName);
    return step ?? undefined;
  }

  /** Processes one task that the decider has not moved past yet; returns an outcome when the workflow ends. */
  #visit(i: number): WorkflowOutcome | null {
    let task = this.#tasks[i];
    if (task.retried || task.executed || task.status === 'SKIPPED') return null;
    const def = this.#defOf(task.workflowTask);
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
    this.#scheduleNext(task);
    return null;
  }

  /** Fires due deadlines: returns the timed-out task, a workflow outcome (TIME_OUT_WF), or null. */
  #checkDeadlines(i: number, task: Task, def: ResolvedTaskDef): Task | WorkflowOutcome | null {
    const now = this.#in.now;
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
      this.#append(this.#retryCopy(task, def));
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

  /** A new attempt of a failed task (Conductor's retry copy), visible after the retry delay. */
  #retryCopy(task: Task, def: ResolvedTaskDef): Task {
    const now = this.#in.now;
    const delay = retryDelaySeconds(def, task.retryCount);
    const taskId = this.#in.newId();
    const scope = makeScope(this.#workflow, this.#tasks, this.#in.env, taskId);
    return {
      ...task,
      taskId,
      retriedTaskId: task.taskId,
      retryCount: task.retryCount + 1,
      status: 'SCHEDULED',
      retried: false,
      executed: false,
      seq: ++this.#seq,
      pollCount: 0,
      scheduledTime: now,
      startTime: 0,
      endTime: 0,
      updateTime: now,
      workerId: null,
      outputData: {},
      callbackAfterSeconds: delay,
      startDelayInSeconds: delay,
      subWorkflowId: null,
      inputData: { ...task.inputData, ...resolveTaskInput(task.workflowTask, def, scope) },
    };
  }

  #scheduleNext(task: Task): void {
    const index = defIndex(this.#workflow.workflowDefinition);
    let next = index.next(task.workflowTask.taskReferenceName);
    while (next && this.#isSkipped(next.taskReferenceName)) next = index.next(next.taskReferenceName);
    if (next) this.#scheduleStep(next, task.iteration);
  }

  #scheduleStep(step: WorkflowTask, iteration: number): void {
    const ref = iteration > 0 ? `${step.taskReferenceName}__${iteration}` : step.taskReferenceName;
    if (this.#findByRef(ref)) return;
    const type = this.#in.taskTypes.get(step.type);
    const taskDef = effectiveTaskDef(step, type.kind === 'system');
    const created = type.schedule({
      workflow: this.#workflow,
      step,
      taskDef,
      now: this.#in.now,
      createTask: (fields) => this.#createTask(step, taskDef, ref, iteration, type.kind === 'worker', fields),
    });
    for (const t of created) this.#append(t);
  }

  #createTask(
    step: WorkflowTask,
    def: ResolvedTaskDef,
    ref: string,
    iteration: number,
    isWorker: boolean,
    fields: Partial<Task> = {},
  ): Task {
    const workflow = this.#workflow;
    const now = this.#in.now;
    const taskId = fields.taskId ?? this.#in.newId();
    const inputData =
      fields.inputData ?? resolveTaskInput(step, def, makeScope(workflow, this.#tasks, this.#in.env, taskId));
    const startDelay = step.startDelay ?? 0;
    const taskType = fields.taskType ?? step.type ?? 'SIMPLE';
    return {
      taskId,
      taskType,
      status: 'SCHEDULED',
      referenceTaskName: ref,
      taskDefName: step.name,
      workflowInstanceId: workflow.workflowId,
      workflowType: workflow.workflowName,
      correlationId: workflow.correlationId,
      inputData,
      outputData: {},
      reasonForIncompletion: null,
      seq: ++this.#seq,
      retryCount: 0,
      retriedTaskId: null,
      retried: false,
      executed: false,
      pollCount: 0,
      scheduledTime: now,
      startTime: 0,
      endTime: 0,
      updateTime: now,
      callbackAfterSeconds: startDelay,
      startDelayInSeconds: startDelay,
      responseTimeoutSeconds: def.responseTimeoutSeconds,
      workerId: null,
      domain: isWorker ? domainFor(taskType, workflow.taskToDomain) : null,
      iteration,
      loopOverTask: iteration > 0,
      subWorkflowId: null,
      rateLimitPerFrequency: def.rateLimitPerFrequency ?? 0,
      rateLimitFrequencyInSeconds: def.rateLimitFrequencyInSeconds ?? 0,
      workflowPriority: workflow.priority,
      isolationGroupId: def.isolationGroupId ?? null,
      executionNameSpace: def.executionNameSpace ?? null,
      callbackFromWorker: true,
      workflowTask: step,
      taskDefinition: step.taskDefinition ?? null,
      ...fields,
    };
  }

  /** Complete when nothing is pending, nothing is scheduled and the last top-level step has run. */
  #isComplete(): boolean {
    for (const t of this.#tasks) if (!t.retried && !isTerminalTask(t.status)) return false;
    const last = defIndex(this.#workflow.workflowDefinition).lastTopLevel;
    return !last || this.#findByRef(last.taskReferenceName) !== undefined;
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
      for (const d of taskDeadlines(t, this.#defOf(t.workflowTask))) this.#wake(d.dueAt);
    }
    return {
      scheduled: this.#scheduled,
      updated: [...this.#updated.values()],
      outcome,
      wakeAt: outcome ? null : this.#wakeAt,
    };
  }

  #wakeForType(task: Task): void {
    const at = this.#in.taskTypes.get(task.workflowTask.type).wakeAt?.(task);
    if (at != null) this.#wake(at);
  }

  #defOf(step: WorkflowTask): ResolvedTaskDef {
    return effectiveTaskDef(step, this.#in.taskTypes.get(step.type).kind === 'system');
  }

  #isSkipped(ref: string): boolean {
    return this.#findByRef(ref)?.status === 'SKIPPED';
  }

  #findByRef(ref: string): Task | undefined {
    for (let i = this.#tasks.length - 1; i >= 0; i--)
      if (this.#tasks[i].referenceTaskName === ref) return this.#tasks[i];
    return undefined;
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

  #append(task: Task): void {
    this.#tasks.push(task);
    this.#scheduled.push(task);
  }
}

function isOutcome(value: Task | WorkflowOutcome): value is WorkflowOutcome {
  return !('taskId' in value);
}

/**
 * The domain a worker task is queued in (Conductor's `setTaskDomains`): the entry for its type, else `*`;
 * `NO_DOMAIN` means none. Of a comma list the last entry is taken (Conductor prefers one with a live poller).
 */
export function domainFor(taskType: string, taskToDomain: Record<string, string>): string | null {
  const value = taskToDomain[taskType] ?? taskToDomain['*'];
  if (!value) return null;
  const domains = value.split(',').map((d) => d.trim());
  const domain = domains[domains.length - 1];
  return !domain || domain === 'NO_DOMAIN' ? null : domain;
}
