import { decisionTask } from './decision.js';
import { doWhileTask } from './do-while.js';
import { dynamicTask } from './dynamic.js';
import { eventTask } from './event.js';
import { exclusiveJoinTask } from './exclusive-join.js';
import { forkJoinTask } from './fork-join.js';
import { forkJoinDynamicTask } from './fork-join-dynamic.js';
import { httpTask } from './http.js';
import { humanTask } from './human.js';
import { inlineTask } from './inline.js';
import { joinTask } from './join.js';
import { jsonJqTransformTask } from './json-jq-transform.js';
import { lambdaTask } from './lambda.js';
import { noopTask } from './noop.js';
import { setVariableTask } from './set-variable.js';
import { simpleTask } from './simple.js';
import { startWorkflowTask } from './start-workflow.js';
import { subWorkflowTask } from './sub-workflow.js';
import { switchTask } from './switch.js';
import type { TaskType } from './task-type.js';
import { terminateTask } from './terminate.js';
import { waitTask } from './wait.js';

/** Task types by `type`; a step whose type is not registered is a worker task (Conductor's USER_DEFINED). */
export class TaskTypeRegistry {
  readonly #types = new Map<string, TaskType>();

  constructor(types: readonly TaskType[] = []) {
    for (const t of types) this.register(t);
  }

  register(type: TaskType): void {
    if (this.#types.has(type.type)) throw new Error(`Task type ${type.type} is already registered`);
    this.#types.set(type.type, type);
  }

  /** The implementation for a step's `type` (SIMPLE when absent or unknown). */
  get(type: string | undefined): TaskType {
    return (type && this.#types.get(type)) || simpleTask;
  }

  /** True when tasks of this `taskType` run in the engine rather than in workers. */
  isSystem(taskType: string): boolean {
    return this.#types.get(taskType)?.kind === 'system';
  }
}

/** The built-in task types. */
export function defaultTaskTypes(): TaskTypeRegistry {
  return new TaskTypeRegistry([
    simpleTask,
    noopTask,
    terminateTask,
    setVariableTask,
    subWorkflowTask,
    startWorkflowTask,
    doWhileTask,
    dynamicTask,
    waitTask,
    humanTask,
    eventTask,
    switchTask,
    decisionTask,
    forkJoinTask,
    joinTask,
    forkJoinDynamicTask,
    exclusiveJoinTask,
    inlineTask,
    lambdaTask,
    jsonJqTransformTask,
    httpTask,
  ]);
}
