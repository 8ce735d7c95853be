import { TerminateWorkflowError } from '../decider/terminate-workflow-error.js';
import type { WorkflowTask } from '../model/workflow-def.js';
import { forkTask, joinAfter } from './fork-join.js';
import type { ScheduleContext, TaskType } from './task-type.js';

/** The forked steps and each one's input, keyed by reference name. */
interface DynamicFork {
  readonly steps: WorkflowTask[];
  readonly inputs: Record<string, unknown>;
}

/**
 * FORK_JOIN_DYNAMIC (Conductor's `ForkJoinDynamicTaskMapper`): forks into steps known only at run time, read
 * from the resolved input in one of three forms:
 *
 * 1. `forkTaskName` (+ `forkTaskType`, default SIMPLE, or `forkTaskWorkflow` + `forkTaskWorkflowVersion` for
 *    sub-workflows) and the list `forkTaskInputs`: one task per element, input = the element (a map) or
 *    `{ input: element }`, plus `__index`; reference `_<name>_<i>` (`_<forkRef>_<name>_<i>` when the workflow
 *    already ran a dynamic fork); the fork's `optional` carries over;
 * 2. `dynamicForkTasksParam` names a list of WorkflowTask JSON, `dynamicForkTasksInputParamName` a map from
 *    reference name to that task's input;
 * 3. the legacy `dynamicForkJoinTasksParam`: `{ dynamicTasks: [{ taskName, referenceName, type, input }] }`.
 *
 * In one pass it creates a `FORK` task (COMPLETED; input `forkedTasks` = the refs, `forkedTaskDefs` = the steps,
 * plus its resolved input), each forked task with its input, then the JOIN that follows, whose `joinOn` is the
 * forked tasks. With nothing to fork the JOIN completes at once with output `{}`. Invalid input (not a list, not a
 * map, a task without reference name) fails the workflow and creates no task, as in Conductor.
 *
 * Unlike Conductor, a forked task does not look up the registered TaskDef of its name (the decider reads no
 * store): it runs with its embedded `taskDefinition`, else the default TaskDef.
 */
export const forkJoinDynamicTask: TaskType = {
  type: 'FORK_JOIN_DYNAMIC',
  kind: 'system',
  schedule(ctx) {
    const created = forkTask(ctx);
    const fork = dynamicFork(ctx, created.inputData);
    const joinStep = joinAfter(
      ctx,
      'Dynamic join definition is not followed by a join task.  Check the workflow definition.',
    );
    const steps = fork.steps.map((step) => withInput(step, fork.inputs[step.taskReferenceName]));
    const joinOn = steps.map((step) => scheduleForked(ctx, step));
    // The JOIN's task carries its step with joinOn filled in (the JOIN type copies it into its input), where
    // Conductor's mapper builds the JOIN task itself with those refs.
    ctx.scheduleStep({ ...joinStep, joinOn });
    const forkedTasks = steps.map((s) => s.taskReferenceName);
    return [{ ...created, inputData: { forkedTasks, forkedTaskDefs: steps, ...created.inputData } }];
  },
};

/** Reads the forked steps from the input, in Conductor's order of precedence. */
function dynamicFork(ctx: ScheduleContext, input: Record<string, unknown>): DynamicFork {
  const step = ctx.step;
  const simple = simpleForm(ctx, input);
  if (simple) return simple;
  if (step.dynamicForkTasksParam) return paramForm(step, input);
  return legacyForm(step, input);
}

/** Form 2: a list of WorkflowTask JSON and a map of inputs by reference name. */
function paramForm(step: WorkflowTask, input: Record<string, unknown>): DynamicFork {
  const param = step.dynamicForkTasksParam ?? '';
  const value = input[param];
  if (!Array.isArray(value) || !value.every(isWorkflowTaskJson)) {
    throw new TerminateWorkflowError(
      `Input '${param}' is invalid. Cannot deserialize a list of Workflow Tasks from '${render(value)}'`,
    );
  }
  const inputs = input[step.dynamicForkTasksInputParamName ?? ''];
  if (!isMap(inputs)) {
    throw new TerminateWorkflowError(
      `Input to the dynamically forked tasks is not a map -> expecting a map of K,V  but found ${render(inputs)}`,
    );
  }
  return { steps: value.map((t) => ({ ...t, type: t.type ?? 'SIMPLE' })), inputs };
}

/** Form 3 (legacy): `{ dynamicTasks: [{ taskName, referenceName, type, input }] }`. */
function legacyForm(step: WorkflowTask, input: Record<string, unknown>): DynamicFork {
  const param = step.dynamicForkJoinTasksParam ?? '';
  const value = input[param];
  const list = isMap(value) ? value.dynamicTasks : undefined;
  if (!Array.isArray(list) || !list.every(isLegacyTask)) {
    throw new TerminateWorkflowError(
      `Dynamic tasks could not be created. The value of ${param} from task's input ${render(input)} has no dynamic tasks to be scheduled`,
    );
  }
  const steps: WorkflowTask[] = [];
  const inputs: Record<string, unknown> = {};
  for (const t of list as Record<string, unknown>[]) {
    const ref = t.referenceName as string;
    steps.push({ name: t.taskName as string, taskReferenceName: ref, type: (t.type as string) ?? 'SIMPLE' });
    inputs[ref] = t.input ?? {};
  }
  return { steps, inputs };
}

// System task types whose name Conductor defaults to the type itself in the simple form.
const SYSTEM_TYPES = new Set([
  'DECISION',
  'SWITCH',
  'FORK',
  'JOIN',
  'EXCLUSIVE_JOIN',
  'DO_WHILE',
  'SUB_WORKFLOW',
  'START_WORKFLOW',
  'EVENT',
  'WAIT',
  'HUMAN',
  'HTTP',
  'LAMBDA',
  'INLINE',
  'TERMINATE',
  'KAFKA_PUBLISH',
  'JSON_JQ_TRANSFORM',
  'SET_VARIABLE',
  'NOOP',
]);

// WorkflowTask fields an element of `forkTaskInputs` may set on its task (Conductor converts the element to a
// WorkflowTask before overriding name, type and input).
const ELEMENT_FIELDS = [
  'optional',
  'permissive',
  'retryCount',
  'startDelay',
  'asyncComplete',
  'taskDefinition',
];

/** Form 1: one task of `forkTaskName` per element of `forkTaskInputs`; null when that is not a list. */
function simpleForm(ctx: ScheduleContext, input: Record<string, unknown>): DynamicFork | null {
  const elements = input.forkTaskInputs;
  if (!Array.isArray(elements)) return null;
  const workflowName = typeof input.forkTaskWorkflow === 'string' ? input.forkTaskWorkflow : null;
  const type = typeof input.forkTaskType === 'string' ? input.forkTaskType : 'SIMPLE';
  let name = typeof input.forkTaskName === 'string' ? input.forkTaskName : null;
  if (name === null && SYSTEM_TYPES.has(type)) name = type;
  name ??= ctx.step.taskReferenceName;
  const forkRef = ctx.step.taskReferenceName;
  // A second dynamic fork in the same workflow prefixes its refs with its own, so they cannot clash.
  const prefix = ctx.tasks.some((t) => t.workflowTask.type === 'FORK_JOIN_DYNAMIC') ? `_${forkRef}` : '';
  const steps: WorkflowTask[] = [];
  const inputs: Record<string, unknown> = {};
  elements.forEach((element, i) => {
    const params: Record<string, unknown> = isMap(element) ? { ...element } : { input: element };
    params.__index = i;
    const fields = isMap(element) ? pick(element, ELEMENT_FIELDS) : {};
    const ref = `${prefix}_${name}_${i}`;
    const step: WorkflowTask = workflowName
      ? {
          ...fields,
          name: workflowName,
          taskReferenceName: ref,
          type: 'SUB_WORKFLOW',
          subWorkflowParam: subWorkflowParam(workflowName, input.forkTaskWorkflowVersion, element),
        }
      : { ...fields, name, taskReferenceName: ref, type };
    if (ctx.step.optional) step.optional = true;
    steps.push({ ...step, inputParameters: params });
    inputs[ref] = params;
  });
  return { steps, inputs };
}

function subWorkflowParam(
  name: string,
  version: unknown,
  element: unknown,
): WorkflowTask['subWorkflowParam'] {
  const parsed = typeof version === 'string' || typeof version === 'number' ? Number(version) : Number.NaN;
  const taskToDomain = isMap(element) && isMap(element.taskToDomain) ? element.taskToDomain : null;
  return {
    name,
    version: Number.isInteger(parsed) ? parsed : null,
    ...(taskToDomain ? { taskToDomain: taskToDomain as Record<string, string> } : {}),
  };
}

/** The step with its forked input merged into its inputParameters (resolved when its task is created). */
function withInput(step: WorkflowTask, input: unknown): WorkflowTask {
  if (input === undefined || input === null) return step;
  if (!isMap(input)) {
    throw new TerminateWorkflowError(
      `Tasks could not be dynamically forked due to invalid input: the input of ${step.taskReferenceName} is ${render(input)}, not a map`,
    );
  }
  return { ...step, inputParameters: { ...step.inputParameters, ...input } };
}

/**
 * Schedules one forked step; returns the reference the JOIN waits on: the last task it created (a forked SWITCH
 * with a branch gives its branch's first task, as in Conductor), without the loop suffix, which the JOIN adds.
 */
function scheduleForked(ctx: ScheduleContext, step: WorkflowTask): string {
  const created = ctx.scheduleStep(step);
  const last = created[created.length - 1];
  if (!last) {
    throw new TerminateWorkflowError(
      `No dynamic tasks could be created for the Workflow: ${ctx.workflow.workflowName}/${ctx.workflow.workflowId}, Dynamic Fork Task: ${step.taskReferenceName} attempted to create a duplicate task reference name: ${step.taskReferenceName}`,
    );
  }
  return last.workflowTask.taskReferenceName;
}

function isLegacyTask(value: unknown): boolean {
  return isMap(value) && typeof value.referenceName === 'string' && typeof value.taskName === 'string';
}

function isWorkflowTaskJson(value: unknown): value is WorkflowTask {
  return isMap(value) && typeof value.taskReferenceName === 'string' && typeof value.name === 'string';
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Partial<WorkflowTask> {
  const picked: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) picked[key] = source[key];
  return picked as Partial<WorkflowTask>;
}

function render(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}
