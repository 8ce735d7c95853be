import { describe, expect, it } from 'vitest';
import { T0 } from '../../helpers/fixtures.js';
import { engineOn } from './engine-on.js';
import { tempDbPath } from './temp-db.js';

describe('sqlite: restart', () => {
  it('a new engine on the same file finds definitions and workflows and finishes them', async () => {
    const path = tempDbPath();
    const first = engineOn(path);
    await first.engine.start();
    await first.engine.registerTaskDefs([{ name: 'ext' }, { name: 'ext2' }]);
    await first.engine.registerWorkflowDef({
      name: 'two_steps',
      version: 1,
      tasks: [
        { name: 'ext', taskReferenceName: 'a', type: 'SIMPLE' },
        { name: 'ext2', taskReferenceName: 'b', type: 'SIMPLE', inputParameters: { x: '${a.output.x}' } },
      ],
      outputParameters: { y: '${b.output.y}' },
    });
    const id = await first.engine.startWorkflow({ name: 'two_steps', input: { n: 1 } });
    await first.engine.idle();
    await first.close();

    const second = engineOn(path);
    await second.engine.start();
    await second.engine.idle();
    expect((await second.engine.getWorkflowDef('two_steps')).name).toBe('two_steps');
    expect((await second.engine.getWorkflow(id)).status).toBe('RUNNING');
    expect(await second.engine.getQueueSizes(['ext'])).toEqual({ ext: 1 });

    const a = (await second.engine.pollTask('ext'))!;
    expect(a).toMatchObject({ workflowInstanceId: id, referenceTaskName: 'a' });
    await second.engine.updateTask({ taskId: a.taskId, status: 'COMPLETED', outputData: { x: 41 } });
    const b = (await second.engine.pollTask('ext2'))!;
    expect(b.inputData).toEqual({ x: 41 });
    await second.engine.updateTask({ taskId: b.taskId, status: 'COMPLETED', outputData: { y: 42 } });

    const wf = await second.engine.waitForWorkflow(id, { timeoutMs: 5_000 });
    expect(wf.status).toBe('COMPLETED');
    expect(wf.output).toEqual({ y: 42 });
    expect(second.errors).toEqual([]);
  });

  it('a retry delay that fell due while no engine ran fires on the next start', async () => {
    const path = tempDbPath();
    const first = engineOn(path);
    await first.engine.registerTaskDefs([
      { name: 'flaky', retryCount: 2, retryLogic: 'FIXED', retryDelaySeconds: 10 },
    ]);
    await first.engine.registerWorkflowDef({
      name: 'retrying',
      version: 1,
      tasks: [{ name: 'flaky', taskReferenceName: 'flaky', type: 'SIMPLE' }],
    });
    let calls = 0;
    first.engine.registerWorker('flaky', async () => {
      calls++;
      throw new Error('first attempt fails');
    });
    await first.engine.start();
    const id = await first.engine.startWorkflow({ name: 'retrying' });
    await first.engine.idle();
    expect(calls).toBe(1);
    const before = await first.engine.getWorkflow(id);
    expect(before.tasks.map((t) => `${t.status}:${t.retryCount}`)).toEqual(['FAILED:0', 'SCHEDULED:1']);
    await first.close();

    // A minute later, long after the 10 s retry delay, a new process starts.
    const second = engineOn(path, T0 + 60_000);
    const received: number[] = [];
    second.engine.registerWorker('flaky', async (task) => {
      received.push(task.retryCount);
      return { outputData: { ok: true } };
    });
    await second.engine.start();
    await second.engine.idle();
    expect(received).toEqual([1]);
    const wf = await second.engine.waitForWorkflow(id, { timeoutMs: 5_000 });
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks.map((t) => t.status)).toEqual(['FAILED', 'COMPLETED']);
  });

  it('a pending decide left in the queue is decided on the next start', async () => {
    const path = tempDbPath();
    const first = engineOn(path);
    await first.engine.registerWorkflowDef({
      name: 'waiting',
      version: 1,
      tasks: [
        { name: 'pause', taskReferenceName: 'pause', type: 'WAIT', inputParameters: { duration: '30s' } },
      ],
    });
    await first.engine.start();
    const id = await first.engine.startWorkflow({ name: 'waiting' });
    await first.engine.idle();
    expect((await first.engine.getWorkflow(id)).tasks[0].status).toBe('IN_PROGRESS');
    await first.close();

    const second = engineOn(path, T0 + 45_000);
    await second.engine.start();
    await second.engine.idle();
    const wf = await second.engine.waitForWorkflow(id, { timeoutMs: 5_000 });
    expect(wf.status).toBe('COMPLETED');
    expect(wf.tasks[0].status).toBe('COMPLETED');
  });

  it('a task polled by a worker that died with its process is delivered again once its response timeout lapses', async () => {
    const path = tempDbPath();
    const first = engineOn(path);
    await first.engine.registerTaskDefs([
      { name: 'ext', responseTimeoutSeconds: 30, retryCount: 1, retryDelaySeconds: 0 },
    ]);
    await first.engine.registerWorkflowDef({
      name: 'one_step',
      version: 1,
      tasks: [{ name: 'ext', taskReferenceName: 'a', type: 'SIMPLE' }],
    });
    await first.engine.start();
    const id = await first.engine.startWorkflow({ name: 'one_step' });
    const lost = (await first.engine.pollTask('ext'))!;
    expect(lost.status).toBe('IN_PROGRESS');
    await first.close();

    const second = engineOn(path, T0 + 60_000);
    await second.engine.start();
    await second.engine.idle();
    const again = (await second.engine.pollTask('ext'))!;
    expect(again).not.toBeNull();
    expect(again.referenceTaskName).toBe('a');
    await second.engine.updateTask({ taskId: again.taskId, status: 'COMPLETED' });
    const wf = await second.engine.waitForWorkflow(id, { timeoutMs: 5_000 });
    expect(wf.status).toBe('COMPLETED');
  });
});
