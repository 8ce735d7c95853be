import type { Task } from '../model/task.js';
import { jqQuery } from '../sandbox/index.js';
import type { TaskType } from './task-type.js';

/**
 * JSON_JQ_TRANSFORM (Conductor's `JsonJqTransform`): runs the jq query in input `queryExpression` against the
 * whole task input (the query itself included, as in Conductor) with real jq (jq-wasm, off the main thread).
 * Output `result` = the first value (null when there is none) and `resultList` = every value.
 *
 * A missing `queryExpression`, a query that does not compile, a runtime error or a timeout ends the task FAILED
 * (so the TaskDef's retries apply) with jq's message as `reasonForIncompletion` and `output.error`, e.g.
 * `Cannot index string with string "array"`.
 */
export const jsonJqTransformTask: TaskType = {
  type: 'JSON_JQ_TRANSFORM',
  kind: 'system',
  schedule: (ctx) => [ctx.createTask()],
  async execute(task, ctx) {
    const ended = { startTime: ctx.now, endTime: ctx.now, updateTime: ctx.now };
    const query = task.inputData.queryExpression;
    if (typeof query !== 'string') {
      return {
        ...task,
        ...ended,
        status: 'FAILED',
        reasonForIncompletion: "Missing 'queryExpression' in input parameters",
      };
    }
    try {
      const values = await jqQuery(query, task.inputData);
      const outputData = { ...task.outputData, result: values[0] ?? null, resultList: values };
      return { ...task, ...ended, status: 'COMPLETED', outputData };
    } catch (error) {
      return failedWith(task, ended, error instanceof Error ? error.message : String(error));
    }
  },
};

function failedWith(task: Task, ended: Partial<Task>, reason: string): Task {
  return {
    ...task,
    ...ended,
    status: 'FAILED',
    reasonForIncompletion: reason,
    outputData: { ...task.outputData, error: reason },
  };
}
