/**
 * The workload of the SQLite crash test, shared by the child process that runs it (crash-child.ts) and the test
 * that audits the database afterwards (crash.test.ts): task and workflow definitions, the start request of each
 * workflow, the workers' arithmetic, and each workflow's expected output, computed by hand from its input rather
 * than by evaluating the definitions, so a wrong wiring in the engine cannot agree with itself.
 */
import type { TaskDef, WorkflowDef } from '../../../src/index.js';

/** Top-level workflows the child starts (sub-workflows come on top). */
export const WORKFLOW_COUNT = 300;

export const STEP = 'crash_step';
/** Fails on its first attempt (retryCount 0), succeeds on any retry. */
export const FLAKY = 'crash_flaky';
export const WORKER_TYPES = [STEP, FLAKY] as const;

/**
 * Attempts per task. A kill leaves in-flight worker tasks IN_PROGRESS; the next run times them out and retries
 * them, so one task chain can use up one attempt per kill, plus the flaky task's deliberate failure. 30 is more
 * than the test's kills plus one, so no workflow can fail for lack of retries however the kills land.
 */
const RETRIES = 30;

/**
 * Shorter than the downtime the child's clock simulates between runs (crash-child.ts), so a task left
 * IN_PROGRESS by a killed run times out as soon as the next run starts.
 */
const RESPONSE_TIMEOUT_SECONDS = 30;

export const TASK_DEFS: TaskDef[] = [
  {
    name: STEP,
    retryCount: RETRIES,
    retryLogic: 'FIXED',
    retryDelaySeconds: 0,
    responseTimeoutSeconds: RESPONSE_TIMEOUT_SECONDS,
  },
  {
    name: FLAKY,
    retryCount: RETRIES,
    retryLogic: 'FIXED',
    // A real delay: the retry waits in the decide queue (a durable wakeup) and kills land on that too.
    retryDelaySeconds: 1,
    responseTimeoutSeconds: RESPONSE_TIMEOUT_SECONDS,
  },
];

/** What both workers compute: not commutative, so inputs wired to the wrong step change the result. */
export function step(value: number, k: number): number {
  return value * 2 + k;
}

const worker = (type: string, ref: string, value: string, k: string | number) => ({
  name: type,
  taskReferenceName: ref,
  type: 'SIMPLE' as const,
  inputParameters: { value, k },
});

export const WORKFLOW_DEFS: WorkflowDef[] = [
  {
    name: 'crash_chain',
    version: 1,
    tasks: [
      worker(STEP, 'a', '${workflow.input.x}', 1),
      worker(STEP, 'b', '${a.output.value}', 2),
      worker(STEP, 'c', '${b.output.value}', 3),
    ],
    outputParameters: { value: '${c.output.value}' },
  },
  {
    name: 'crash_fork',
    version: 1,
    tasks: [
      {
        name: 'fork',
        taskReferenceName: 'fork',
        type: 'FORK_JOIN',
        forkTasks: [
          [worker(STEP, 'l1', '${workflow.input.x}', 1), worker(STEP, 'l2', '${l1.output.value}', 2)],
          [worker(FLAKY, 'm1', '${workflow.input.x}', 3)],
          [worker(STEP, 'r1', '${workflow.input.x}', 4)],
        ],
      },
      { name: 'join', taskReferenceName: 'join', type: 'JOIN', joinOn: ['l2', 'm1', 'r1'] },
      worker(STEP, 'last', '${l2.output.value}', '${r1.output.value}'),
    ],
    outputParameters: {
      left: '${l2.output.value}',
      middle: '${m1.output.value}',
      right: '${r1.output.value}',
      last: '${last.output.value}',
    },
  },
  {
    name: 'crash_loop',
    version: 1,
    tasks: [
      {
        name: 'loop',
        taskReferenceName: 'loop',
        type: 'DO_WHILE',
        inputParameters: { n: '${workflow.input.n}' },
        // A javascript condition: the sandbox runs in the killed process too.
        loopCondition: "if ($.loop['iteration'] < $.n) { true; } else { false; }",
        loopOver: [
          {
            name: STEP,
            taskReferenceName: 'acc',
            type: 'SIMPLE',
            // `twist` is the previous iteration's (none in the first: the worker starts from `start` then).
            inputParameters: {
              value: '${twist.output.value}',
              start: '${workflow.input.x}',
              k: '${loop.iteration}',
            },
          },
          worker(STEP, 'twist', '${acc.output.value}', '${loop.iteration}'),
        ],
      },
    ],
    outputParameters: { value: '${twist.output.value}', iterations: '${loop.output.iteration}' },
  },
  {
    name: 'crash_parent',
    version: 1,
    tasks: [
      worker(STEP, 'pre', '${workflow.input.x}', 5),
      {
        name: 'crash_child',
        taskReferenceName: 'sub',
        type: 'SUB_WORKFLOW',
        inputParameters: { value: '${pre.output.value}' },
        subWorkflowParam: { name: 'crash_child', version: 1 },
      },
      worker(STEP, 'post', '${sub.output.value}', 6),
    ],
    outputParameters: { value: '${post.output.value}' },
  },
  {
    name: 'crash_child',
    version: 1,
    tasks: [worker(STEP, 'c1', '${workflow.input.value}', 7), worker(FLAKY, 'c2', '${c1.output.value}', 8)],
    outputParameters: { value: '${c2.output.value}' },
  },
  {
    name: 'crash_retry',
    version: 1,
    tasks: [worker(FLAKY, 'f', '${workflow.input.x}', 9), worker(STEP, 'g', '${f.output.value}', 10)],
    outputParameters: { value: '${g.output.value}' },
  },
];

const KINDS = ['crash_chain', 'crash_fork', 'crash_loop', 'crash_parent', 'crash_retry'] as const;

/** The top-level workflow number `i`: its definition, input and idempotency key (also its correlation id). */
export interface PlannedWorkflow {
  readonly key: string;
  readonly name: (typeof KINDS)[number];
  readonly input: { x: number; n: number };
}

export function plannedWorkflow(i: number): PlannedWorkflow {
  return { key: `crash-${i}`, name: KINDS[i % KINDS.length], input: { x: i, n: 2 + (i % 3) } };
}

export function plannedWorkflows(): PlannedWorkflow[] {
  return Array.from({ length: WORKFLOW_COUNT }, (_, i) => plannedWorkflow(i));
}

/** The output a top-level workflow must end with, worked out by hand from its definition above. */
export function expectedOutput({ name, input: { x, n } }: PlannedWorkflow): Record<string, unknown> {
  switch (name) {
    case 'crash_chain':
      return { value: step(step(step(x, 1), 2), 3) };
    case 'crash_fork': {
      const left = step(step(x, 1), 2);
      const right = step(x, 4);
      return { left, middle: step(x, 3), right, last: step(left, right) };
    }
    case 'crash_loop': {
      let value = x;
      for (let iteration = 1; iteration <= n; iteration++) value = step(step(value, iteration), iteration);
      return { value, iterations: n };
    }
    case 'crash_parent':
      return { value: step(step(step(step(x, 5), 7), 8), 6) };
    case 'crash_retry':
      return { value: step(step(x, 9), 10) };
  }
}
