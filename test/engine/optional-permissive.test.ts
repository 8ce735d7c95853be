import { describe, expect, it } from 'vitest';
import { advance, define, setup, simple, taskList } from '../helpers/engine.js';

describe('optional tasks', () => {
  it('a task that timed out on every attempt ends COMPLETED_WITH_ERRORS and the next task runs', async () => {
    // WorkflowAndTaskConfigurationSpec's task_optional: (retry 1, timeout 5, responseTimeout 5, RETRY, delay 0).
    const t = await setup();
    await define(
      t.engine,
      'wf',
      [simple('task_optional', { optional: true }), simple('t2', { inputParameters: { x: 1 } })],
      {
        taskDefs: [
          {
            name: 'task_optional',
            retryCount: 1,
            timeoutSeconds: 5,
            responseTimeoutSeconds: 5,
            timeoutPolicy: 'RETRY',
            retryDelaySeconds: 0,
          },
        ],
      },
    );
    const received: unknown[] = [];
    t.engine.registerWorker('t2', async (task) => {
      received.push(task.inputData);
      return { outputData: { done: true } };
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    expect(await t.engine.pollTask('task_optional')).not.toBeNull();
    await advance(t, 5000);
    expect(await taskList(t.engine, id)).toEqual(['task_optional:TIMED_OUT', 'task_optional:SCHEDULED']);
    expect(await t.engine.pollTask('task_optional')).not.toBeNull();
    await advance(t, 5000);

    expect(await taskList(t.engine, id)).toEqual([
      'task_optional:TIMED_OUT',
      'task_optional:COMPLETED_WITH_ERRORS',
      't2:COMPLETED',
    ]);
    expect(received).toEqual([{ x: 1 }]);
    const wf = await t.engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.output).toEqual({ done: true });
  });

  it('a failing optional task (in-process worker) ends COMPLETED_WITH_ERRORS with its reason and the workflow completes', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('maybe', { optional: true }), simple('then')], {
      taskDefs: [{ name: 'maybe', retryCount: 0 }],
    });
    t.engine.registerWorker('maybe', async () => {
      throw new Error('not today');
    });
    t.engine.registerWorker('then', async () => ({ outputData: { ran: true } }));
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    const wf = await t.engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.map((x) => [x.referenceTaskName, x.status, x.reasonForIncompletion])).toEqual([
      ['maybe', 'COMPLETED_WITH_ERRORS', 'not today'],
      ['then', 'COMPLETED', null],
    ]);
  });

  it('permissive + optional behaves like optional', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('both', { optional: true, permissive: true }), simple('then')], {
      taskDefs: [{ name: 'both', retryCount: 0 }],
    });
    t.engine.registerWorker('both', async () => ({ status: 'FAILED', reasonForIncompletion: 'x' }));
    t.engine.registerWorker('then', async () => {});
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    expect(await taskList(t.engine, id)).toEqual(['both:COMPLETED_WITH_ERRORS', 'then:COMPLETED']);
    expect((await t.engine.getWorkflow(id)).status).toBe('COMPLETED');
  });
});

describe('permissive tasks', () => {
  it('fails twice, lets the workflow go on, and fails the workflow at its end', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('perm', { permissive: true }), simple('t2')], {
      taskDefs: [{ name: 'perm', retryCount: 1, retryDelaySeconds: 0 }],
    });
    let permCalls = 0;
    t.engine.registerWorker('perm', async () => {
      permCalls++;
      throw new Error('NETWORK ERROR');
    });
    let t2Calls = 0;
    t.engine.registerWorker('t2', async () => {
      t2Calls++;
      return { outputData: { fine: true } };
    });
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();

    expect([permCalls, t2Calls]).toEqual([2, 1]);
    const wf = await t.engine.getWorkflow(id);
    expect(wf.tasks.map((x) => `${x.referenceTaskName}:${x.status}`)).toEqual([
      'perm:FAILED',
      'perm:FAILED',
      't2:COMPLETED',
    ]);
    const last = wf.tasks[1];
    expect(wf.status).toBe('FAILED');
    expect(wf.reasonForIncompletion).toBe(
      `Task ${last.taskId} failed with status: FAILED and reason: 'NETWORK ERROR'`,
    );
    expect(wf.failedReferenceTaskNames).toEqual(['perm']);
  });

  it('a permissive task that succeeds on retry leaves the workflow COMPLETED', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('perm', { permissive: true }), simple('t2')], {
      taskDefs: [{ name: 'perm', retryCount: 1, retryDelaySeconds: 0 }],
    });
    let calls = 0;
    t.engine.registerWorker('perm', async () => {
      if (++calls === 1) throw new Error('once');
    });
    t.engine.registerWorker('t2', async () => {});
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    expect(await taskList(t.engine, id)).toEqual(['perm:FAILED', 'perm:COMPLETED', 't2:COMPLETED']);
    expect((await t.engine.getWorkflow(id)).status).toBe('COMPLETED');
  });
});
