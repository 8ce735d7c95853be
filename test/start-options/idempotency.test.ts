import { describe, expect, it } from 'vitest';
import { ConflictError, type Engine, type StartWorkflowRequest } from '../../src/index.js';
import { define, setup, simple } from '../helpers/engine.js';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

async function completeFirstTask(engine: Engine, taskType = 'work'): Promise<void> {
  const task = await engine.pollTask(taskType);
  expect(task).not.toBeNull();
  await engine.updateTask({ taskId: task!.taskId, status: 'COMPLETED' });
}

async function countOf(engine: Engine, workflowType: string): Promise<number> {
  return (await engine.searchWorkflows({ workflowType })).totalHits;
}

describe('idempotencyKey + idempotencyStrategy', () => {
  async function engineWith() {
    const t = await setup();
    await define(t.engine, 'order', [simple('work')]);
    await define(t.engine, 'refund', [simple('work')]);
    return t;
  }

  const req = (overrides: Partial<StartWorkflowRequest> = {}): StartWorkflowRequest => ({
    name: 'order',
    idempotencyKey: 'k-1',
    ...overrides,
  });

  it('FAIL (also the default with a key alone) refuses the key while any workflow of the name holds it', async () => {
    const { engine } = await engineWith();
    const first = await engine.startWorkflow(req());
    const clash = await rejection(engine.startWorkflow(req({ idempotencyStrategy: 'FAIL' })));
    expect(clash).toBeInstanceOf(ConflictError);
    expect(clash).toMatchObject({ code: 'CONFLICT', existingWorkflowId: first });
    expect(await rejection(engine.startWorkflow(req()))).toBeInstanceOf(ConflictError);

    await completeFirstTask(engine);
    expect((await engine.waitForWorkflow(first)).status).toBe('COMPLETED');
    expect(await rejection(engine.startWorkflow(req()))).toBeInstanceOf(ConflictError);
    expect(await countOf(engine, 'order')).toBe(1);
    expect((await engine.getWorkflow(first)).idempotencyKey).toBe('k-1');
  });

  it('scopes keys per workflow name; workflows without a key never clash', async () => {
    const { engine } = await engineWith();
    await engine.startWorkflow(req());
    await engine.startWorkflow(req({ name: 'refund' }));
    await engine.startWorkflow(req({ idempotencyKey: 'k-2' }));
    await engine.startWorkflow({ name: 'order' });
    await engine.startWorkflow({ name: 'order' });
    expect(await countOf(engine, 'order')).toBe(4);
    expect(await countOf(engine, 'refund')).toBe(1);
  });

  it('RETURN_EXISTING answers the id of the workflow holding the key, running or ended', async () => {
    const { engine } = await engineWith();
    const first = await engine.startWorkflow(req({ idempotencyStrategy: 'RETURN_EXISTING' }));
    expect(await engine.startWorkflow(req({ idempotencyStrategy: 'RETURN_EXISTING' }))).toBe(first);
    await completeFirstTask(engine);
    await engine.waitForWorkflow(first);
    expect(await engine.startWorkflow(req({ idempotencyStrategy: 'RETURN_EXISTING', input: { x: 1 } }))).toBe(
      first,
    );
    expect(await countOf(engine, 'order')).toBe(1);
    expect((await engine.getWorkflow(first)).input).toEqual({});
  });

  it('FAIL_ON_RUNNING refuses only while the holder runs; then the key moves to the new workflow', async () => {
    const { engine } = await engineWith();
    const strategy = { idempotencyStrategy: 'FAIL_ON_RUNNING' } as const;
    const first = await engine.startWorkflow(req(strategy));
    expect(await rejection(engine.startWorkflow(req(strategy)))).toMatchObject({
      code: 'CONFLICT',
      existingWorkflowId: first,
    });

    await completeFirstTask(engine);
    await engine.waitForWorkflow(first);
    const second = await engine.startWorkflow(req(strategy));
    expect(second).not.toBe(first);
    expect(await rejection(engine.startWorkflow(req(strategy)))).toMatchObject({
      existingWorkflowId: second,
    });
    // FAIL and RETURN_EXISTING see the newest holder.
    expect(await engine.startWorkflow(req({ idempotencyStrategy: 'RETURN_EXISTING' }))).toBe(second);
    expect(await countOf(engine, 'order')).toBe(2);
  });

  it('FAIL_ON_RUNNING refuses while the holder is PAUSED; a terminated holder lets a new one start', async () => {
    const { engine } = await engineWith();
    const strategy = { idempotencyStrategy: 'FAIL_ON_RUNNING' } as const;
    const first = await engine.startWorkflow(req(strategy));
    await engine.pauseWorkflow(first);
    expect(await rejection(engine.startWorkflow(req(strategy)))).toMatchObject({ existingWorkflowId: first });
    await engine.terminateWorkflow(first, 'stop');
    expect(await engine.startWorkflow(req(strategy))).not.toBe(first);
  });

  it('frees the key when the workflow holding it is removed, and search forgets it', async () => {
    const { engine } = await engineWith();
    const first = await engine.startWorkflow(req());
    await engine.removeWorkflow(first);
    expect((await engine.searchWorkflows({ workflowType: 'order' })).totalHits).toBe(0);
    const second = await engine.startWorkflow(req());
    expect(second).not.toBe(first);
    expect(await rejection(engine.startWorkflow(req()))).toMatchObject({ existingWorkflowId: second });
  });

  it('creates exactly one workflow under 50 concurrent starts of one key (FAIL)', async () => {
    const { engine } = await engineWith();
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => engine.startWorkflow(req())));
    const started = results.filter((r) => r.status === 'fulfilled');
    expect(started).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
    expect(await countOf(engine, 'order')).toBe(1);
    expect(await engine.getQueueSizes(['work'])).toEqual({ work: 1 });
  });

  it('answers one id to 50 concurrent starts of one key (RETURN_EXISTING)', async () => {
    const { engine } = await engineWith();
    const ids = await Promise.all(
      Array.from({ length: 50 }, () => engine.startWorkflow(req({ idempotencyStrategy: 'RETURN_EXISTING' }))),
    );
    expect(new Set(ids).size).toBe(1);
    expect(await countOf(engine, 'order')).toBe(1);
  });

  it('creates exactly one running workflow under 50 concurrent starts (FAIL_ON_RUNNING)', async () => {
    const { engine } = await engineWith();
    const start = () => engine.startWorkflow(req({ idempotencyStrategy: 'FAIL_ON_RUNNING' }));
    const first = await start();
    await completeFirstTask(engine);
    await engine.waitForWorkflow(first);
    const results = await Promise.allSettled(Array.from({ length: 50 }, start));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await countOf(engine, 'order')).toBe(2);
    expect((await engine.searchWorkflows({ status: 'RUNNING' })).totalHits).toBe(1);
  });

  it('rejects an unknown strategy with a ValidationError at idempotencyStrategy', async () => {
    const { engine } = await engineWith();
    const error = await rejection(
      engine.startWorkflow(req({ idempotencyStrategy: 'MAYBE' as unknown as 'FAIL' })),
    );
    expect(error).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'idempotencyStrategy' }] });
  });
});
