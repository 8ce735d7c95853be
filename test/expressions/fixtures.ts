import type { ExpressionScope } from '../../src/expressions/index.js';

/** A scope over fixed documents, counting how often each root is built. */
export function makeScope(
  overrides: Partial<ExpressionScope> & { tasks?: Record<string, Record<string, unknown>> } = {},
): ExpressionScope & { calls: { workflow: number; task: string[] } } {
  const calls = { workflow: 0, task: [] as string[] };
  const tasks = overrides.tasks ?? TASKS;
  return {
    calls,
    workflow: () => {
      calls.workflow++;
      return WORKFLOW;
    },
    task: (ref) => {
      calls.task.push(ref);
      return tasks[ref];
    },
    taskId: overrides.taskId,
    env: overrides.env,
  };
}

export const WORKFLOW: Record<string, unknown> = {
  input: {
    name: 'ada',
    count: 3,
    flag: false,
    nothing: null,
    key: 'name',
    nested: { a: { b: [10, 20, 30] } },
    list: ['x', 'y', 'z'],
    'key with space': 'spaced',
  },
  output: {},
  status: 'RUNNING',
  workflowId: 'wf-1',
  parentWorkflowId: null,
  parentWorkflowTaskId: null,
  workflowType: 'order',
  version: 2,
  correlationId: 'corr-9',
  reasonForIncompletion: null,
  schemaVersion: 2,
  variables: { counter: 7, tags: ['a', 'b'] },
};

export const TASKS: Record<string, Record<string, unknown>> = {
  fetch: {
    input: { url: 'https://example.test', retries: 2 },
    output: {
      a: { b: [{ c: 'deep' }, 'second'] },
      items: [
        { id: 1, price: 5 },
        { id: 2, price: 20 },
        { id: 3, price: 50 },
      ],
      total: 75,
      ok: true,
      map: { x: 1, y: [1, 2] },
    },
    taskType: 'SIMPLE',
    status: 'COMPLETED',
    referenceTaskName: 'fetch',
    retryCount: 0,
  },
  'my-ref': {
    input: {},
    output: { value: 'dashed' },
    taskType: 'SIMPLE',
    status: 'COMPLETED',
    referenceTaskName: 'my-ref',
    retryCount: 1,
  },
};
