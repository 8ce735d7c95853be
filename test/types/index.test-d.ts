import { expectAssignable, expectError, expectType } from 'tsd';
import { type SqliteQueue, type SqliteStore, sqlite } from '../../dist/adapters/sqlite/index.js';
import {
  BatonError,
  ConflictError,
  Engine,
  type Task,
  type TaskDef,
  TerminalError,
  ValidationError,
  type ValidationIssue,
  type Workflow,
  type WorkflowDef,
  type WorkflowStatus,
} from '../../dist/index.js';
import { describeQueueContract, describeStoreContract, ManualClock } from '../../dist/testing/index.js';

const clock = new ManualClock(0);
const engine = new Engine({ clock });

expectType<Promise<string>>(engine.startWorkflow({ name: 'order', input: { amount: 1 } }));
expectType<Promise<Workflow>>(engine.waitForWorkflow('id', { timeoutMs: 1000 }));
expectType<Promise<Workflow>>(engine.executeWorkflow({ name: 'order' }));
expectType<Promise<Workflow>>(engine.getWorkflow('id', { includeTasks: false }));
expectType<Promise<Task | null>>(engine.pollTask('charge', { workerId: 'w1' }));
expectType<Promise<Task[]>>(engine.batchPollTasks('charge', { count: 5, timeoutMs: 100 }));
expectType<Promise<Record<string, number>>>(engine.getQueueSizes(['charge']));
expectType<Promise<void>>(engine.updateTask({ taskId: 't', status: 'COMPLETED', outputData: { ok: true } }));
expectError(engine.updateTask({ taskId: 't', status: 'DONE' }));
expectType<Promise<void>>(clock.advance(1000));

// Worker handlers: return nothing, a result, or a promise of one.
const registration = engine.registerWorker('charge', async (task, ctx) => {
  expectType<Task>(task);
  expectType<AbortSignal>(ctx.signal);
  ctx.log('charging');
  return { outputData: { receipt: 'r' } };
});
expectType<Promise<void>>(registration.stop());
engine.registerWorker('noop', () => {});
expectError(engine.registerWorker('bad', () => ({ status: 'DONE' as const })));

// Typed events.
engine.on('workflow.completed', (workflow) => expectType<Workflow>(workflow));
engine.on('task.failed', (task) => expectType<Task>(task));
expectError(engine.on('workflow.nope', () => {}));

// Conductor shapes.
const def: WorkflowDef = {
  name: 'order',
  version: 1,
  tasks: [
    {
      name: 'charge',
      taskReferenceName: 'charge',
      type: 'SIMPLE',
      inputParameters: { a: '${workflow.input.a}' },
    },
  ],
};
expectAssignable<WorkflowDef>(def);
expectAssignable<TaskDef>({ name: 'charge', retryCount: 2, retryLogic: 'EXPONENTIAL_BACKOFF' });
expectError<TaskDef>({ name: 'charge', retryLogic: 'SOMETIMES' });
expectAssignable<WorkflowStatus>('PAUSED');

// Errors.
const err: unknown = new ConflictError('x');
if (BatonError.is(err, 'CONFLICT')) expectType<BatonError>(err);
if (err instanceof ValidationError) expectType<ValidationIssue[]>(err.issues);
expectAssignable<Error>(new TerminalError('no retry'));

expectType<void>(describeStoreContract('memory', () => null as never));
expectType<void>(describeQueueContract('memory', () => null as never));

// The SQLite adapter spreads into the engine options.
const backend = sqlite({ path: 'baton.db', synchronous: 'FULL' });
expectType<{ store: SqliteStore; queue: SqliteQueue }>(backend);
expectType<Engine>(new Engine({ ...backend }));
expectError(sqlite({ path: 'baton.db', synchronous: 'OFF' }));
