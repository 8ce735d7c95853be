import { describe, expect, it } from 'vitest';
import type { Task } from '../model/task.js';
import type { TaskDef } from '../model/task-def.js';
import type { Store } from '../store/store.js';
import { makeTask, makeWorkflow, makeWorkflowDef, T0 } from './fixtures.js';
import { jsonCopy } from './store-contract-assertions.js';

/** A task of workflow `wf-1` (the fixtures' default workflow id) with its id and seq set. */
function task(taskId: string, seq: number, overrides: Partial<Task> = {}): Task {
  return makeTask({
    taskId,
    seq,
    referenceTaskName: `ref_${taskId}`,
    workflowInstanceId: 'wf-1',
    ...overrides,
  });
}

/** Values that trip up serialisers: unicode, escapes, nulls, deep nesting, numbers at the edges. */
function awkwardValues(): Record<string, unknown> {
  let deep: Record<string, unknown> = { leaf: 'bottom' };
  for (let i = 0; i < 20; i++) deep = { level: i, next: deep };
  return {
    unicode: 'héllo wörld – 日本語 – Ελληνικά – עברית – 🚀👩‍💻🏳️‍🌈 – e\u0301',
    escapes: "quote \" backslash \\ newline \n tab \t slash / 'single' ${not.an.expression}",
    sql: "'; DROP TABLE workflows; --",
    empty: '',
    nothing: null,
    yes: true,
    no: false,
    numbers: [0, -1, 1.5, -0.25, 1e-7, 0.1 + 0.2, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER],
    mixed: [null, 'a', 1, false, { b: [null, []] }, [[[]]]],
    emptyObject: {},
    emptyArray: [],
    'key.with.dots': 1,
    'ключ 🔑': 'value',
    $ref: '#/not/a/ref',
    deep,
  };
}

/** What goes into a store comes back JSON-equal, registered inside `describeStoreContract`. */
export function describeJsonRoundTripContract(store: () => Store): void {
  describe('JSON round trip', () => {
    it('returns a workflow JSON-equal to the committed one (nested data, nulls, unicode)', async () => {
      const workflow = makeWorkflow({
        status: 'FAILED',
        input: awkwardValues(),
        output: { nested: awkwardValues(), list: [awkwardValues()] },
        variables: { counter: 3, names: ['ä', 'β'], nothing: null },
        correlationId: 'corr-ünïcødé-🚀',
        reasonForIncompletion: 'Task "charge" failed: 残高不足\nline 2',
        endTime: T0 + 1234,
        updateTime: T0 + 1234,
        lastRetriedTime: null,
        failedTaskId: 't1',
        failedReferenceTaskNames: ['charge', 'ship'],
        failedTaskNames: ['charge'],
        priority: 99,
        taskToDomain: { charge: 'eu-west', '*': 'default' },
        idempotencyKey: 'key-∑',
        createdBy: 'tester',
        ownerApp: 'app',
        event: 'conductor:approvals',
        workflowDefinition: makeWorkflowDef({
          description: null,
          failureWorkflow: 'compensate',
          variables: { seed: awkwardValues() },
          tasks: [
            {
              name: 'route',
              taskReferenceName: 'route',
              type: 'SWITCH',
              evaluatorType: 'value-param',
              expression: 'switchCaseValue',
              inputParameters: { switchCaseValue: '${workflow.input.kind}' },
              decisionCases: { 'a-🚀': [{ name: 'x', taskReferenceName: 'x' }] },
              defaultCase: [],
              taskDefinition: null,
            },
          ],
        }),
      });
      const tasks = [
        task('t1', 1, {
          status: 'FAILED',
          inputData: awkwardValues(),
          outputData: { result: awkwardValues(), nothing: null },
          reasonForIncompletion: 'boom 💥',
          retried: true,
          executed: true,
          callbackFromWorker: false,
          domain: 'eu-west',
          workerId: 'wörker',
          taskDefinition: {
            name: 'charge',
            retryCount: 0,
            description: null,
            inputTemplate: { a: [1, null] },
          },
        }),
      ];
      await store().commit({ workflow, expectedVersion: 0, tasks, queue: [] });
      const found = (await store().getWorkflow(workflow.workflowId))!;
      expect(found.workflow).toEqual(jsonCopy(workflow));
      expect(found.tasks).toEqual(jsonCopy(tasks));
      expect(await store().getTask('t1')).toEqual(jsonCopy(tasks[0]));
    });

    it('keeps null fields null (never absent or undefined)', async () => {
      const created = makeWorkflow();
      await store().commit({ workflow: created, expectedVersion: 0, tasks: [task('t1', 1)], queue: [] });
      const { workflow, tasks } = (await store().getWorkflow(created.workflowId))!;
      for (const field of [
        'correlationId',
        'endTime',
        'parentWorkflowId',
        'idempotencyKey',
        'event',
      ] as const) {
        expect(workflow[field], field).toBeNull();
      }
      for (const field of [
        'correlationId',
        'reasonForIncompletion',
        'subWorkflowId',
        'taskDefinition',
      ] as const) {
        expect(tasks[0][field], field).toBeNull();
      }
    });

    it('round-trips definitions JSON-equal', async () => {
      const taskDef: TaskDef = {
        name: 'ünïcødé_task',
        description: 'säve 🚀',
        pollTimeoutSeconds: null,
        inputTemplate: awkwardValues(),
        inputKeys: ['a', 'b'],
      };
      const workflowDef = makeWorkflowDef({
        name: 'ünïcødé_wf',
        version: 3,
        ownerEmail: null,
        inputTemplate: awkwardValues(),
        outputParameters: { deep: awkwardValues() },
      });
      await store().saveTaskDefs([taskDef]);
      await store().saveWorkflowDef(workflowDef, false);
      expect(await store().getTaskDef(taskDef.name)).toEqual(jsonCopy(taskDef));
      expect(await store().getWorkflowDef(workflowDef.name, 3)).toEqual(jsonCopy(workflowDef));
      expect(await store().getWorkflowDef(workflowDef.name)).toEqual(jsonCopy(workflowDef));
    });
  });
}
