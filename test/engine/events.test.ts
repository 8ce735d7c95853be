import { describe, expect, it } from 'vitest';
import { type Task, TerminalError, type Workflow } from '../../src/index.js';
import { advance, define, recordEvents, setup, simple, T0 } from '../helpers/engine.js';

describe('events', () => {
  it('are emitted in order for a 2-task workflow with one retry', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('a'), simple('b')], {
      taskDefs: [{ name: 'a', retryCount: 1, retryDelaySeconds: 1 }],
    });
    let aCalls = 0;
    t.engine.registerWorker('a', async () => {
      if (++aCalls === 1) throw new Error('first try');
      return { outputData: { a: 1 } };
    });
    t.engine.registerWorker('b', async () => ({ outputData: { b: 2 } }));
    const events = recordEvents(t.engine);

    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    expect(events.map((e) => e.label)).toEqual([
      'workflow.started:RUNNING',
      'task.scheduled:a',
      'task.started:a',
      'task.failed:a',
      'task.scheduled:a',
    ]);
    await advance(t, 1000);
    expect(events.map((e) => e.label)).toEqual([
      'workflow.started:RUNNING',
      'task.scheduled:a',
      'task.started:a',
      'task.failed:a',
      'task.scheduled:a',
      'task.started:a',
      'task.completed:a',
      'task.scheduled:b',
      'task.started:b',
      'task.completed:b',
      'workflow.completed:COMPLETED',
    ]);

    // task.* listeners get the Task at that moment; workflow.* listeners get the Workflow with its tasks.
    const tasks = events.filter((e) => e.name.startsWith('task.')).map((e) => e.payload as Task);
    expect(tasks.map((x) => [x.status, x.retryCount])).toEqual([
      ['SCHEDULED', 0],
      ['IN_PROGRESS', 0],
      ['FAILED', 0],
      ['SCHEDULED', 1],
      ['IN_PROGRESS', 1],
      ['COMPLETED', 1],
      ['SCHEDULED', 0],
      ['IN_PROGRESS', 0],
      ['COMPLETED', 0],
    ]);
    expect(tasks[2].reasonForIncompletion).toBe('first try');
    expect(tasks[3].retriedTaskId).toBe(tasks[2].taskId);
    expect(tasks[4].startTime).toBe(T0 + 1000);
    expect(tasks.every((x) => x.workflowInstanceId === id)).toBe(true);

    const completed = events.at(-1)!.payload as Workflow;
    expect(completed).toMatchObject({
      workflowId: id,
      status: 'COMPLETED',
      output: { b: 2 },
      endTime: T0 + 1000,
    });
    expect(completed.tasks.map((x) => `${x.referenceTaskName}:${x.status}`)).toEqual([
      'a:FAILED',
      'a:COMPLETED',
      'b:COMPLETED',
    ]);
    const started = events[0].payload as Workflow;
    expect(started).toMatchObject({ workflowId: id, status: 'RUNNING', endTime: null });
    expect(started.tasks.map((x) => x.referenceTaskName)).toEqual(['a']);
  });

  it('payloads are copies: a listener that changes one does not change the engine', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('a', { inputParameters: { v: 1 } })]);
    t.engine.on('task.scheduled', (task) => {
      task.inputData.v = 'changed';
      task.status = 'FAILED';
    });
    t.engine.on('workflow.started', (wf) => {
      wf.status = 'TERMINATED';
      wf.input.x = 'changed';
    });
    const id = await t.engine.startWorkflow({ name: 'wf', input: { x: 1 } });
    const wf = await t.engine.getWorkflow(id);
    expect(wf.status).toBe('RUNNING');
    expect(wf.input).toEqual({ x: 1 });
    expect(wf.tasks.map((x) => [x.status, x.inputData])).toEqual([['SCHEDULED', { v: 1 }]]);
  });

  it('FAILED_WITH_TERMINAL_ERROR emits task.failed, then workflow.failed', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('a')]);
    t.engine.registerWorker('a', async () => {
      throw new TerminalError('fatal');
    });
    const events = recordEvents(t.engine);
    await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    expect(events.map((e) => e.label)).toEqual([
      'workflow.started:RUNNING',
      'task.scheduled:a',
      'task.started:a',
      'task.failed:a',
      'workflow.failed:FAILED',
    ]);
    expect((events[3].payload as Task).status).toBe('FAILED_WITH_TERMINAL_ERROR');
  });

  it('a timeout emits task.timedOut only; a workflow timeout emits task.canceled and workflow.timedOut', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('a')], {
      taskDefs: [{ name: 'a', retryCount: 1, responseTimeoutSeconds: 2, retryDelaySeconds: 0 }],
      def: { timeoutSeconds: 10, timeoutPolicy: 'TIME_OUT_WF' },
    });
    await t.engine.startWorkflow({ name: 'wf' });
    const events = recordEvents(t.engine);
    await t.engine.pollTask('a');
    await advance(t, 2000);
    expect(events.map((e) => e.label)).toEqual(['task.started:a', 'task.timedOut:a', 'task.scheduled:a']);
    await advance(t, 8000);
    expect(events.map((e) => e.label).slice(3)).toEqual(['task.canceled:a', 'workflow.timedOut:TIMED_OUT']);
  });

  it('an IN_PROGRESS report re-queues the task without a task.scheduled event', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('a')]);
    await t.engine.startWorkflow({ name: 'wf' });
    const events = recordEvents(t.engine);
    const polled = (await t.engine.pollTask('a'))!;
    await t.engine.updateTask({ taskId: polled.taskId, status: 'IN_PROGRESS', callbackAfterSeconds: 1 });
    await advance(t, 1000);
    await t.engine.pollTask('a');
    expect(events.map((e) => e.label)).toEqual(['task.started:a', 'task.started:a']);
  });
});
