import { describe, expect, it } from 'vitest';
import { Engine, type Task } from '../../src/index.js';
import { define, setup, simple, T0 } from '../helpers/engine.js';

/** SimpleWorkflowSpec's shape: three steps, inputs from the workflow input and from earlier outputs. */
async function defineOrder(engine: Engine, outputParameters?: Record<string, unknown>) {
  await define(
    engine,
    'order',
    [
      simple('fetch', {
        inputParameters: {
          orderId: '${workflow.input.orderId}',
          fixed: 'k',
          nested: { n: '${workflow.input.n}' },
        },
      }),
      simple('enrich', {
        inputParameters: {
          data: '${fetch.output.data}',
          fetchStatus: '${fetch.status}',
          label: 'order-${workflow.input.orderId}',
          absent: '${workflow.input.absent}',
        },
      }),
      simple('store', { inputParameters: { all: '${enrich.output}' } }),
    ],
    { def: outputParameters ? { outputParameters } : {} },
  );
}

function recordingWorkers(engine: Engine, outputs: Record<string, Record<string, unknown>>) {
  const received: Task[] = [];
  for (const [type, outputData] of Object.entries(outputs)) {
    engine.registerWorker(type, async (task) => {
      received.push(task);
      return { outputData };
    });
  }
  return received;
}

describe('linear workflow with in-process workers', () => {
  it('runs every step with resolved inputs and resolves the workflow outputParameters', async () => {
    const { engine, clock } = await setup();
    await defineOrder(engine, {
      o1: '${workflow.input.orderId}',
      o2: '${enrich.output.result}',
      o3: '${fetch.output.data}',
      none: '${store.output.nothing}',
    });
    const received = recordingWorkers(engine, {
      fetch: { data: { sku: 'A1', qty: 2 } },
      enrich: { result: 'enriched' },
      store: { stored: true },
    });

    const id = await engine.startWorkflow({
      name: 'order',
      input: { orderId: 42, n: 7 },
      correlationId: 'c-1',
    });
    await engine.idle();

    expect(received.map((t) => t.referenceTaskName)).toEqual(['fetch', 'enrich', 'store']);
    expect(received[0].inputData).toEqual({ orderId: 42, fixed: 'k', nested: { n: 7 } });
    expect(received[1].inputData).toEqual({
      data: { sku: 'A1', qty: 2 },
      fetchStatus: 'COMPLETED',
      label: 'order-42',
      absent: null,
    });
    expect(received[2].inputData).toEqual({ all: { result: 'enriched' } });

    const wf = await engine.getWorkflow(id);
    expect(wf).toMatchObject({
      workflowId: id,
      workflowName: 'order',
      workflowVersion: 1,
      status: 'COMPLETED',
      correlationId: 'c-1',
      input: { orderId: 42, n: 7 },
      reasonForIncompletion: null,
      failedReferenceTaskNames: [],
      createTime: T0,
      startTime: T0,
      endTime: T0,
    });
    expect(wf.output).toEqual({ o1: 42, o2: 'enriched', o3: { sku: 'A1', qty: 2 }, none: null });
    expect(wf.tasks.map((t) => [t.referenceTaskName, t.status, t.seq, t.pollCount, t.retryCount])).toEqual([
      ['fetch', 'COMPLETED', 1, 1, 0],
      ['enrich', 'COMPLETED', 2, 1, 0],
      ['store', 'COMPLETED', 3, 1, 0],
    ]);
    for (const t of wf.tasks) {
      expect(t).toMatchObject({
        workflowInstanceId: id,
        correlationId: 'c-1',
        scheduledTime: T0,
        startTime: T0,
        endTime: T0,
      });
      expect(t.workerId).toMatch(/^baton-/);
    }
    // No timer was needed: the clock never moved.
    expect(clock.now()).toBe(T0);
  });

  it("outputs the last task's output when the definition has no outputParameters", async () => {
    const { engine } = await setup();
    await defineOrder(engine);
    recordingWorkers(engine, { fetch: { data: 1 }, enrich: { result: 2 }, store: { stored: 'yes', at: 3 } });
    const id = await engine.startWorkflow({ name: 'order', input: {} });
    await engine.idle();
    const wf = await engine.getWorkflow(id);
    expect(wf.status).toBe('COMPLETED');
    expect(wf.output).toEqual({ stored: 'yes', at: 3 });
  });

  it('records the workerId a worker was registered with, and a void return completes with {}', async () => {
    const { engine } = await setup();
    await define(engine, 'one', [simple('solo')]);
    engine.registerWorker('solo', async () => {}, { workerId: 'w-7' });
    const id = await engine.startWorkflow({ name: 'one' });
    await engine.idle();
    const [t] = (await engine.getWorkflow(id)).tasks;
    expect(t).toMatchObject({ status: 'COMPLETED', workerId: 'w-7', outputData: {} });
  });

  it('returns the workflow without tasks when includeTasks is false', async () => {
    const { engine } = await setup();
    await defineOrder(engine);
    const id = await engine.startWorkflow({ name: 'order', input: { orderId: 1 } });
    const bare = await engine.getWorkflow(id, { includeTasks: false });
    expect(bare.tasks).toEqual([]);
    expect(bare.status).toBe('RUNNING');
    const full = await engine.getWorkflow(id);
    expect(full.tasks.map((t) => `${t.referenceTaskName}:${t.status}`)).toEqual(['fetch:SCHEDULED']);
  });

  it('startWorkflow returns after the first task is SCHEDULED with its input resolved', async () => {
    const { engine } = await setup({ start: false });
    await defineOrder(engine);
    const id = await engine.startWorkflow({ name: 'order', input: { orderId: 9, n: 1 } });
    const [first] = (await engine.getWorkflow(id)).tasks;
    expect(first).toMatchObject({
      referenceTaskName: 'fetch',
      taskType: 'fetch',
      status: 'SCHEDULED',
      seq: 1,
      scheduledTime: T0,
      startTime: 0,
      endTime: 0,
      pollCount: 0,
      retryCount: 0,
      retriedTaskId: null,
      workerId: null,
      inputData: { orderId: 9, fixed: 'k', nested: { n: 1 } },
    });
  });

  it('getWorkflow returns a copy: changing it does not change the execution', async () => {
    const { engine } = await setup();
    await defineOrder(engine);
    const id = await engine.startWorkflow({ name: 'order', input: { orderId: 1 } });
    const copy = await engine.getWorkflow(id);
    copy.status = 'FAILED';
    copy.tasks[0].inputData.orderId = 666;
    const again = await engine.getWorkflow(id);
    expect(again.status).toBe('RUNNING');
    expect(again.tasks[0].inputData.orderId).toBe(1);
  });
});

describe('real-time end to end', () => {
  it('runs the README example on the system clock', async () => {
    const engine = new Engine();
    try {
      await engine.registerTaskDefs([
        {
          name: 'charge',
          retryCount: 2,
          retryLogic: 'FIXED',
          retryDelaySeconds: 1,
          timeoutSeconds: 60,
          responseTimeoutSeconds: 30,
        },
      ]);
      await engine.registerWorkflowDef({
        name: 'order',
        version: 1,
        schemaVersion: 2,
        tasks: [
          {
            name: 'charge',
            taskReferenceName: 'charge',
            type: 'SIMPLE',
            inputParameters: { amount: '${workflow.input.amount}' },
          },
        ],
        outputParameters: { receipt: '${charge.output.receipt}' },
      });
      engine.registerWorker('charge', async (task) => ({
        outputData: { receipt: `r-${task.inputData.amount}` },
      }));
      await engine.start();
      const started = Date.now();
      const done = await engine.executeWorkflow(
        { name: 'order', input: { amount: 42 } },
        { timeoutMs: 2000 },
      );
      expect(Date.now() - started).toBeLessThan(300);
      expect(done.status).toBe('COMPLETED');
      expect(done.output).toEqual({ receipt: 'r-42' });
      expect(done.tasks.map((t) => `${t.referenceTaskName}:${t.status}`)).toEqual(['charge:COMPLETED']);
    } finally {
      await engine.stop();
    }
  });
});
