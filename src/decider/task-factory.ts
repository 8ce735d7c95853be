import type { Task } from '../model/task.js';
import type { ResolvedTaskDef } from '../model/task-def.js';
import type { WorkflowRecord } from '../model/workflow.js';
import type { WorkflowTask } from '../model/workflow-def.js';
import type { TaskTypeRegistry } from '../tasks/registry.js';
import { type DefIndex, defIndex } from './def-index.js';
import { makeScope } from './expression-scope.js';
import { retryDelaySeconds } from './retry.js';
import { effectiveTaskDef } from './task-defs.js';
import { resolveTaskInput } from './task-input.js';

/** What creating tasks needs; pure (time and ids are passed in). */
export interface TaskFactoryOptions {
  readonly now: number;
  readonly newId: () => string;
  readonly taskTypes: TaskTypeRegistry;
  readonly env?: (name: string) => string | undefined;
  /** Whether a task domain has a live worker for a task type (taskToDomain lists); absent: none has. */
  readonly isDomainActive?: (taskType: string, domain: string) => boolean;
}

/**
 * Creates the tasks of a workflow: a step's task(s) through its task type (Conductor's mappers), retry copies,
 * each with the next `seq`. Appends to the `tasks` list it is given, so expressions of later tasks see earlier
 * ones, and reports every new task to `onCreate`. Shared by the decider and by system tasks that schedule
 * (FORK_JOIN branches, DO_WHILE iterations).
 */
export class TaskFactory {
  readonly #workflow: () => WorkflowRecord;
  readonly #tasks: Task[];
  readonly #options: TaskFactoryOptions;
  readonly #onCreate: (task: Task) => void;
  #seq: number;
  /** How many `scheduleStep` calls are under way (a FORK scheduling its branches nests them). */
  #depth = 0;

  constructor(
    workflow: () => WorkflowRecord,
    tasks: Task[],
    options: TaskFactoryOptions,
    onCreate: (task: Task) => void,
  ) {
    this.#workflow = workflow;
    this.#tasks = tasks;
    this.#options = options;
    this.#onCreate = onCreate;
    this.#seq = tasks.reduce((max, t) => Math.max(max, t.seq), 0);
  }

  get index(): DefIndex {
    return defIndex(this.#workflow().workflowDefinition);
  }

  /** The step's effective TaskDef. */
  defOf(step: WorkflowTask): ResolvedTaskDef {
    return effectiveTaskDef(step, this.#options.taskTypes.get(step.type).kind === 'system');
  }

  /**
   * Schedules a step (in loop iteration `iteration` when it sits in a DO_WHILE body) unless a task with its
   * reference name exists already; returns the tasks created.
   */
  scheduleStep(step: WorkflowTask, iteration: number): Task[] {
    const index = this.index;
    // A step made at run time (a dynamic fork's child) sits in no definition list: it belongs to the loop
    // iteration of the step that made it, and gets that iteration's `__N` suffix.
    const madeAtRunTime = index.step(step.taskReferenceName) === undefined;
    const inLoop = madeAtRunTime ? iteration > 0 : index.loopOf(step.taskReferenceName) !== null;
    const loopIteration = inLoop ? iteration : 0;
    const ref =
      madeAtRunTime && loopIteration > 0
        ? `${step.taskReferenceName}__${loopIteration}`
        : index.refFor(step, loopIteration);
    if (this.findByRef(ref)) return [];
    const type = this.#options.taskTypes.get(step.type);
    const taskDef = this.defOf(step);
    const before = this.#tasks.length;
    let created: Task[];
    this.#depth++;
    try {
      created = type.schedule({
        workflow: this.#workflow(),
        step,
        taskDef,
        now: this.#options.now,
        iteration: loopIteration,
        tasks: this.#tasks,
        index,
        createTask: (fields) =>
          this.#createTask(step, taskDef, ref, loopIteration, type.kind === 'worker', fields),
        scheduleStep: (child, childIteration = loopIteration) => this.scheduleStep(child, childIteration),
      });
    } finally {
      this.#depth--;
    }
    // The common case (a SIMPLE step): one task created, nothing appended by nested scheduling.
    if (created.length === 1 && this.#tasks.length === before) {
      this.#tasks.push(created[0]);
      if (this.#depth === 0) this.#onCreate(created[0]);
      return created;
    }
    // Tasks a type scheduled through `scheduleStep` are appended already; add the ones it only created.
    const appended = new Set(this.#tasks.slice(before).map((t) => t.taskId));
    for (const task of created) if (!appended.has(task.taskId)) this.#tasks.push(task);
    // A type creates its own task (FORK, SWITCH) before scheduling its children, so it has the lower seq but is
    // appended last: restore `seq` order, and report the tasks once the outermost step is fully scheduled (a
    // step that throws TerminateWorkflowError half-way has reported nothing).
    const made = this.#tasks.slice(before).sort((a, b) => a.seq - b.seq);
    this.#tasks.splice(before, made.length, ...made);
    if (this.#depth === 0) for (const task of made) this.#onCreate(task);
    return made;
  }

  /** A new attempt of a failed task (Conductor's retry copy), visible after the retry delay. */
  retryCopy(task: Task): Task {
    const { now, newId, env } = this.#options;
    const def = this.defOf(task.workflowTask);
    const delay = retryDelaySeconds(def, task.retryCount);
    const taskId = newId();
    const scope = makeScope(this.#workflow(), this.#tasks, env, taskId);
    const copy: Task = {
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
      // Conductor sets the domains of every task it schedules, retries included: a live domain may have changed.
      domain: this.#isWorker(task)
        ? domainFor(task.taskType, this.#workflow().taskToDomain, this.#options.isDomainActive)
        : task.domain,
    };
    this.#append(copy);
    return copy;
  }

  /** The latest task with exactly this reference name (loop suffix included). */
  findByRef(ref: string): Task | undefined {
    const tasks = this.#tasks;
    for (let i = tasks.length - 1; i >= 0; i--) if (tasks[i].referenceTaskName === ref) return tasks[i];
    return undefined;
  }

  #isWorker(task: Task): boolean {
    return this.#options.taskTypes.get(task.workflowTask.type).kind === 'worker';
  }

  #append(task: Task): void {
    this.#tasks.push(task);
    this.#onCreate(task);
  }

  #createTask(
    step: WorkflowTask,
    def: ResolvedTaskDef,
    ref: string,
    iteration: number,
    isWorker: boolean,
    fields: Partial<Task> = {},
  ): Task {
    const { now, newId, env } = this.#options;
    const workflow = this.#workflow();
    const taskId = fields.taskId ?? newId();
    const inputData =
      fields.inputData ?? resolveTaskInput(step, def, makeScope(workflow, this.#tasks, env, taskId));
    const startDelay = step.startDelay ?? 0;
    const taskType = fields.taskType ?? step.type ?? 'SIMPLE';
    const task: Task = {
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
      domain: isWorker ? domainFor(taskType, workflow.taskToDomain, this.#options.isDomainActive) : null,
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
    };
    // Assigned, not spread into the literal: V8 builds a 40-field literal followed by a spread slowly.
    return Object.assign(task, fields);
  }
}

/**
 * The domain a worker task is queued in (Conductor's `setTaskDomains` + `getActiveDomain`): the entry for its
 * type, else `*`. Of a comma list, the first domain with a live worker (`isActive`) wins, else the last entry;
 * `NO_DOMAIN` (any case) means none.
 */
export function domainFor(
  taskType: string,
  taskToDomain: Record<string, string>,
  isActive?: (taskType: string, domain: string) => boolean,
): string | null {
  const value = taskToDomain[taskType] ?? taskToDomain['*'];
  if (!value) return null;
  const domains = value.split(',').map((d) => d.trim());
  if (isActive) {
    for (const domain of domains) {
      if (domain && !isNoDomain(domain) && isActive(taskType, domain)) return domain;
    }
  }
  const last = domains[domains.length - 1];
  return !last || isNoDomain(last) ? null : last;
}

function isNoDomain(domain: string): boolean {
  return domain.toUpperCase() === 'NO_DOMAIN';
}
