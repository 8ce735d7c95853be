import { describe, expect, it } from 'vitest';
import {
  BatonError,
  ConflictError,
  NotFoundError,
  ValidationError,
  type WorkflowDef,
} from '../../src/index.js';
import { define, setup, simple } from '../helpers/engine.js';

async function rejection(promise: Promise<unknown>): Promise<BatonError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(BatonError.is(error)).toBe(true);
  return error as BatonError;
}

describe('errors', () => {
  it('startWorkflow of an unknown definition or version: NotFoundError', async () => {
    const { engine } = await setup();
    const unknown = await rejection(engine.startWorkflow({ name: 'nope' }));
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown.code).toBe('NOT_FOUND');

    await define(engine, 'wf', [simple('a')]);
    expect(await rejection(engine.startWorkflow({ name: 'wf', version: 2 }))).toBeInstanceOf(NotFoundError);
  });

  it('getWorkflow / waitForWorkflow of an unknown id: NotFoundError', async () => {
    const { engine } = await setup();
    expect(await rejection(engine.getWorkflow('missing'))).toBeInstanceOf(NotFoundError);
    expect(await rejection(engine.waitForWorkflow('missing'))).toBeInstanceOf(NotFoundError);
  });

  it('an invalid definition: ValidationError with the path of each problem', async () => {
    const { engine } = await setup();
    const missingRef = await rejection(
      engine.registerWorkflowDef({ name: 'bad', tasks: [{ name: 'a' }] } as unknown as WorkflowDef),
    );
    expect(missingRef).toBeInstanceOf(ValidationError);
    expect(missingRef.code).toBe('VALIDATION');
    expect((missingRef as ValidationError).issues.map((i) => i.path)).toEqual(['tasks[0].taskReferenceName']);

    const duplicate = await rejection(
      engine.registerWorkflowDef({
        name: 'dup',
        tasks: [simple('a'), simple('b', { taskReferenceName: 'a' })],
      }),
    );
    expect((duplicate as ValidationError).issues.map((i) => i.path)).toEqual(['tasks[1].taskReferenceName']);

    // Nothing was registered.
    expect(await rejection(engine.getWorkflowDef('bad'))).toBeInstanceOf(NotFoundError);
  });

  it('an invalid start request: ValidationError (priority out of range)', async () => {
    const { engine } = await setup();
    await define(engine, 'wf', [simple('a')]);
    const error = await rejection(engine.startWorkflow({ name: 'wf', priority: 100 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['priority']);
  });

  it('registering an existing name + version without overwrite: ConflictError; with overwrite it replaces', async () => {
    const { engine } = await setup();
    await define(engine, 'wf', [simple('a')]);
    const error = await rejection(
      engine.registerWorkflowDef({ name: 'wf', version: 1, tasks: [simple('b')] }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe('CONFLICT');
    expect((await engine.getWorkflowDef('wf', 1)).tasks.map((x) => x.name)).toEqual(['a']);

    await engine.registerWorkflowDef({ name: 'wf', version: 1, tasks: [simple('b')] }, { overwrite: true });
    expect((await engine.getWorkflowDef('wf', 1)).tasks.map((x) => x.name)).toEqual(['b']);
    const id = await engine.startWorkflow({ name: 'wf' });
    expect((await engine.getWorkflow(id)).tasks.map((x) => x.taskType)).toEqual(['b']);
  });

  it('getTaskDef fills in the defaults (response timeout 300 s); an unknown name is NotFoundError', async () => {
    const { engine } = await setup();
    await engine.registerTaskDefs([{ name: 'bare' }]);
    expect(await engine.getTaskDef('bare')).toMatchObject({
      name: 'bare',
      retryCount: 3,
      retryLogic: 'FIXED',
      retryDelaySeconds: 60,
      backoffScaleFactor: 1,
      timeoutSeconds: 0,
      timeoutPolicy: 'TIME_OUT_WF',
      responseTimeoutSeconds: 300,
      pollTimeoutSeconds: null,
      inputTemplate: {},
    });
    expect(await rejection(engine.getTaskDef('unknown'))).toBeInstanceOf(NotFoundError);
  });

  it('registerTaskDefs is all or nothing, with paths starting at the index', async () => {
    const { engine } = await setup();
    const error = await rejection(
      engine.registerTaskDefs([{ name: 'good' }, { name: 'bad', retryCount: -1 }]),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['[1].retryCount']);
    expect(await rejection(engine.getTaskDef('good'))).toBeInstanceOf(NotFoundError);
  });

  it('waitForWorkflow past timeoutMs rejects with a BatonError of code TIMEOUT', async () => {
    const { engine } = await setup();
    await define(engine, 'wf', [simple('nobody_polls')]);
    const id = await engine.startWorkflow({ name: 'wf' });
    const started = Date.now();
    const error = await rejection(engine.waitForWorkflow(id, { timeoutMs: 30 }));
    expect(error.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect((await engine.getWorkflow(id)).status).toBe('RUNNING');
  });

  it('an in-process handler returning a malformed result fails its task for good, saying which field', async () => {
    const t = await setup();
    await define(t.engine, 'wf', [simple('sloppy')], { taskDefs: [{ name: 'sloppy', retryCount: 3 }] });
    t.engine.registerWorker('sloppy', () => ({ status: 'DONE' as never, outputData: { x: 1 } }));
    const id = await t.engine.startWorkflow({ name: 'wf' });
    await t.engine.idle();
    const wf = await t.engine.getWorkflow(id);
    expect(wf.status).toBe('FAILED');
    expect(wf.tasks.map((x) => x.status)).toEqual(['FAILED_WITH_TERMINAL_ERROR']);
    expect(wf.tasks[0].reasonForIncompletion).toMatch(/^The worker returned a malformed result: .*status/);
    // The rejected report is logged too.
    expect(t.errors.length).toBeGreaterThan(0);
  });

  it('waitForWorkflow resolves with the workflow and its tasks once it ends', async () => {
    const { engine } = await setup();
    await define(engine, 'wf', [simple('a')]);
    const id = await engine.startWorkflow({ name: 'wf' });
    const waiting = engine.waitForWorkflow(id, { timeoutMs: 1000 });
    const polled = (await engine.pollTask('a'))!;
    await engine.updateTask({ taskId: polled.taskId, status: 'COMPLETED', outputData: { x: 1 } });
    const done = await waiting;
    expect(done.status).toBe('COMPLETED');
    expect(done.output).toEqual({ x: 1 });
    expect(done.tasks.map((x) => x.status)).toEqual(['COMPLETED']);
    // Already terminal: resolves at once.
    expect((await engine.waitForWorkflow(id, { timeoutMs: 0 })).status).toBe('COMPLETED');
  });
});
