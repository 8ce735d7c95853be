import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { advance, define, s, setup, simple, T0 } from '../helpers/engine.js';

async function ids(engine: Engine, query: Parameters<Engine['searchWorkflows']>[0]): Promise<string[]> {
  return (await engine.searchWorkflows(query)).results.map((r) => r.workflowId);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('searchWorkflows', () => {
  async function scenario() {
    const t = await setup();
    await define(t.engine, 'order', [simple('charge')]);
    await define(t.engine, 'refund', [simple('repay')]);
    const started: Record<string, string> = {};
    started.a = await t.engine.startWorkflow({
      name: 'order',
      correlationId: 'cust-1',
      input: { sku: 'Red-Shoe' },
    });
    await advance(t, s(10));
    started.b = await t.engine.startWorkflow({ name: 'order', correlationId: 'cust-2' });
    await advance(t, s(10));
    started.c = await t.engine.startWorkflow({ name: 'refund', correlationId: 'cust-1' });
    await advance(t, s(10));
    // b completes, c fails.
    const charge = await t.engine.pollTask('charge');
    const b = charge?.workflowInstanceId === started.b ? charge : await t.engine.pollTask('charge');
    await t.engine.updateTask({ taskId: b!.taskId, status: 'COMPLETED', outputData: { receipt: 'RCPT-9' } });
    const repay = await t.engine.pollTask('repay');
    await t.engine.updateTask({
      taskId: repay!.taskId,
      status: 'FAILED_WITH_TERMINAL_ERROR',
      reasonForIncompletion: 'bank down',
    });
    await t.engine.idle();
    return { ...t, started };
  }

  it('finds workflows by type, status, correlation id and start time; newest first', async () => {
    const { engine, started } = await scenario();
    expect(await ids(engine, {})).toEqual([started.c, started.b, started.a]);
    expect(await ids(engine, { workflowType: 'order' })).toEqual([started.b, started.a]);
    expect(await ids(engine, { status: 'RUNNING' })).toEqual([started.a]);
    expect(await ids(engine, { status: ['COMPLETED', 'FAILED'] })).toEqual([started.c, started.b]);
    expect(await ids(engine, { correlationId: 'cust-1' })).toEqual([started.c, started.a]);
    expect(await ids(engine, { startTimeFrom: T0 + s(10), startTimeTo: T0 + s(20) })).toEqual([
      started.c,
      started.b,
    ]);
    expect(await ids(engine, { sort: 'startTime:ASC' })).toEqual([started.a, started.b, started.c]);
  });

  it('answers summaries as the workflows stand', async () => {
    const { engine, started } = await scenario();
    const { results } = await engine.searchWorkflows({ workflowType: 'refund' });
    expect(results).toEqual([
      {
        workflowId: started.c,
        workflowType: 'refund',
        version: 1,
        status: 'FAILED',
        correlationId: 'cust-1',
        startTime: T0 + s(20),
        updateTime: T0 + s(30),
        endTime: T0 + s(30),
        reasonForIncompletion: expect.stringContaining('bank down'),
        failedTaskNames: ['repay'],
      },
    ]);
  });

  it('matches free text in ids, correlation ids, names, input and output', async () => {
    const { engine, started } = await scenario();
    expect(await ids(engine, { freeText: 'red-shoe' })).toEqual([started.a]);
    expect(await ids(engine, { freeText: 'RCPT' })).toEqual([started.b]);
    expect(await ids(engine, { freeText: 'cust-2' })).toEqual([started.b]);
    expect(await ids(engine, { freeText: 'refu' })).toEqual([started.c]);
    expect(await ids(engine, { freeText: started.a })).toEqual([started.a]);
    expect(await ids(engine, { freeText: '*' })).toHaveLength(3);
  });

  it('pages: 100 results by default, start and size, totalHits counting all', async () => {
    const t = await setup();
    await define(t.engine, 'bulk', [simple('noop_task')]);
    const all: string[] = [];
    for (let i = 0; i < 120; i++) {
      all.push(await t.engine.startWorkflow({ name: 'bulk', input: { i } }));
      await t.clock.advance(1);
    }
    const first = await t.engine.searchWorkflows({});
    expect(first.totalHits).toBe(120);
    expect(first.results).toHaveLength(100);
    expect(first.results[0].workflowId).toBe(all[119]);
    const page = await t.engine.searchWorkflows({ sort: 'startTime:ASC', start: 110, size: 5 });
    expect(page.results.map((r) => r.workflowId)).toEqual(all.slice(110, 115));
    const tail = await t.engine.searchWorkflows({ sort: 'startTime:ASC', start: 115, size: 50 });
    expect(tail.results.map((r) => r.workflowId)).toEqual(all.slice(115));
  });

  it('returns copies: changing a result changes nothing stored', async () => {
    const { engine, started } = await scenario();
    const [summary] = (await engine.searchWorkflows({ workflowType: 'refund' })).results;
    summary.failedTaskNames.push('junk');
    summary.status = 'RUNNING';
    const [again] = (await engine.searchWorkflows({ workflowType: 'refund' })).results;
    expect(again).toMatchObject({ workflowId: started.c, status: 'FAILED', failedTaskNames: ['repay'] });
  });

  it('rejects a malformed query with paths', async () => {
    const { engine } = await setup();
    const error = await rejection(
      engine.searchWorkflows({
        status: ['RUNNING', 'DONE' as 'RUNNING'],
        size: -1,
        sort: 'endTime:ASC' as 'startTime:ASC',
      }),
    );
    expect(error).toMatchObject({ code: 'VALIDATION' });
    expect((error as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual([
      'size',
      'sort',
      'status[1]',
    ]);
    expect(await rejection(engine.searchWorkflows({ status: 'NOPE' as 'RUNNING' }))).toMatchObject({
      issues: [{ path: 'status' }],
    });
  });
});
