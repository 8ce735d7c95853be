import { EventEmitter } from 'eventemitter3';
import type { Clock } from './clock/clock.js';
import { SystemClock, wallClock } from './clock/system-clock.js';
import { Activity } from './engine/activity.js';
import { BackgroundJobs } from './engine/background-jobs.js';
import { Definitions } from './engine/definitions.js';
import { DomainActivity } from './engine/domains.js';
import { DueWork } from './engine/due-work.js';
import { EventBus } from './engine/event-bus.js';
import { EventHandlers } from './engine/event-handlers.js';
import { existingWorkflowOnClash, idempotencyClaim } from './engine/idempotency.js';
import { newWorkflowRecord } from './engine/new-workflow.js';
import { WorkflowOperations } from './engine/operations/workflow-operations.js';
import { publicTask, publicWorkflow } from './engine/public-copies.js';
import { Signals } from './engine/signals.js';
import { WorkflowEnds } from './engine/workflow-ends.js';
import { WorkflowExecutor } from './engine/workflow-executor.js';
import { DECIDE_QUEUE, queueName } from './engine/working-state.js';
import type { EngineOptions, Logger, SandboxOptions } from './engine-options.js';
import { BatonError, NotFoundError } from './errors.js';
import type { EngineEventName, EngineEvents } from './events.js';
import { type EventHandler, validateEventHandler } from './model/event-handler.js';
import { searchCriteria, type WorkflowSearchQuery, type WorkflowSearchResult } from './model/search.js';
import type { StartWorkflowRequest } from './model/start-request.js';
import type { Task } from './model/task.js';
import type { ResolvedTaskDef, TaskDef } from './model/task-def.js';
import type { TaskExecLog, TaskResult } from './model/task-result.js';
import { validateStartRequest, validateTaskResult } from './model/validation/index.js';
import type { Workflow, WorkflowRecord } from './model/workflow.js';
import type { WorkflowDef } from './model/workflow-def.js';
import type {
  RerunWorkflowRequest,
  RestartWorkflowOptions,
  RetryWorkflowOptions,
  SkipTaskRequest,
  TerminateWorkflowOptions,
} from './model/workflow-operations.js';
import { MemoryQueue } from './queue/memory-queue.js';
import type { Queue } from './queue/queue.js';
import { Sandbox } from './sandbox/index.js';
import { MemoryStore } from './store/memory-store.js';
import type { Store } from './store/store.js';
import { defaultTaskTypes, type TaskTypeRegistry } from './tasks/registry.js';
import type { BackgroundOutcome, ChildWorkflowRequest } from './tasks/task-type.js';
import { idGenerator } from './util/ids.js';
import type { WorkerHandler, WorkerOptions, WorkerRegistration } from './workers/worker.js';
import { WorkerPool } from './workers/worker-pool.js';
import { WorkerRunner } from './workers/worker-runner.js';

const consoleLogger: Logger = {
  warn: (message, ...details) => console.warn(`[baton] ${message}`, ...details),
  error: (message, ...details) => console.error(`[baton] ${message}`, ...details),
};

/**
 * Netflix Conductor's orchestration engine, in process. See the README for a tour; DESIGN.md for the contract.
 *
 * @example
 * ```ts
 * const engine = new Engine();
 * await engine.registerWorkflowDef({ name: 'hello', tasks: [{ name: 'greet', taskReferenceName: 'greet' }] });
 * engine.registerWorker('greet', async (task) => ({ outputData: { hi: task.inputData.name } }));
 * await engine.start();
 * const run = await engine.executeWorkflow({ name: 'hello', input: { name: 'Ada' } });
 * await engine.stop();
 * ```
 */
export class Engine extends EventEmitter<EngineEvents> {
  readonly #store: Store;
  readonly #queue: Queue;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #env: ((name: string) => string | undefined) | undefined;
  readonly #taskTypes: TaskTypeRegistry = defaultTaskTypes();
  readonly #definitions: Definitions;
  readonly #executor: WorkflowExecutor;
  readonly #operations: WorkflowOperations;
  readonly #activity = new Activity();
  readonly #dueWork: DueWork;
  readonly #workers = new WorkerPool();
  /** Callers of `waitForWorkflow`, woken by workflow id. */
  readonly #workflowEnds: WorkflowEnds;
  /** Long polls of `batchPollTasks`, woken by queue name. */
  readonly #queueArrivals = new Signals();
  readonly #newId = idGenerator();
  readonly #bus = new EventBus();
  /** Live task domains: recent pollers and registered in-process workers (taskToDomain lists). */
  readonly #domains = new DomainActivity((queueName) => this.#started && this.#workers.serves(queueName));
  readonly #background: BackgroundJobs;
  readonly #stopTimeoutMs: number;
  /** The sandbox limits, for the INLINE / LAMBDA task types. */
  readonly sandboxOptions: Readonly<SandboxOptions>;
  #started = false;
  /** Created on first use: most workflows run no script, and an isolate costs memory. */
  #sandbox: Sandbox | null = null;

  constructor(options: EngineOptions = {}) {
    super();
    this.#store = options.store ?? new MemoryStore();
    this.#queue = options.queue ?? new MemoryQueue();
    this.#workflowEnds = new WorkflowEnds(this.#store);
    this.#clock = options.clock ?? new SystemClock();
    this.#logger = options.logger ?? consoleLogger;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
    this.sandboxOptions = Object.freeze({ ...options.sandbox });
    const allowed = new Set(options.env?.allow ?? []);
    this.#env = allowed.size > 0 ? (name) => (allowed.has(name) ? process.env[name] : undefined) : undefined;
    this.#definitions = new Definitions(this.#store, this.#taskTypes, () => this.#clock.now());
    this.#dueWork = new DueWork({
      queue: this.#queue,
      clock: this.#clock,
      activity: this.#activity,
      workers: this.#workers,
      queueArrivals: this.#queueArrivals,
      sweepIntervalMs: options.sweepIntervalMs ?? 0,
      decide: (workflowId) => this.#executor.decide(workflowId, { fromWake: true }),
      idle: () => this.idle(),
      logError: (message, error) => this.#logger.error(message, error),
    });
    const eventHandlers = new EventHandlers({
      store: this.#store,
      env: this.#env,
      newId: () => this.#newId(),
      evaluate: (script, input) => this.#scripts().evaluate(script, input),
      startWorkflow: (request, event) => this.#startWorkflow({ ...request, event }),
      updateTask: (result) => this.updateTask(result),
      track: (promise) => this.#activity.track(promise),
      reportError: (error, context) => this.#logger.error(`Event handling failed while ${context}`, error),
      // A no-op unit of work in the workflow's lane runs after the one under way.
      settled: (workflowId) =>
        this.#executor
          .mutate(workflowId, () => undefined, false)
          .then(
            () => {},
            () => {},
          ),
    });
    this.#bus.subscribe((message) => eventHandlers.onMessage(message));
    this.#background = new BackgroundJobs({
      track: (promise) => this.#activity.track(promise),
      apply: (task, outcome) => this.#applyBackgroundOutcome(task, outcome),
      reportError: (error, context) => this.#logger.error(`Background job error while ${context}`, error),
    });
    this.#executor = new WorkflowExecutor({
      store: this.#store,
      queue: this.#queue,
      clock: this.#clock,
      taskTypes: this.#taskTypes,
      newId: () => this.#newId(),
      env: this.#env,
      emit: (name, payload) => this.#emit(name, payload),
      afterCommit: (ops, now) => this.#dueWork.afterCommit(ops, now),
      onWorkflowEnded: (workflow) => this.#notifyEnded(workflow),
      startWorkflow: (request) => this.#startWorkflow(request),
      claimLocalWorker: (queue) => this.#claimLocalWorker(queue),
      publishEvent: (event, payload) => this.publishEvent(event, payload),
      evaluate: (script, input) => this.#scripts().evaluate(script, input),
      isDomainActive: (taskType, domain, now) => this.#domains.isActive(taskType, domain, now),
      onPoll: (queueName, now) => this.#domains.polled(queueName, now),
      runInBackground: (task, job) => this.#background.run(task, job),
      cancelBackground: (taskId) => this.#background.cancel(taskId),
    });
    this.#operations = new WorkflowOperations({
      executor: this.#executor,
      store: this.#store,
      queue: this.#queue,
      clock: this.#clock,
      taskTypes: this.#taskTypes,
      definitions: this.#definitions,
      newId: () => this.#newId(),
      env: this.#env,
    });
  }

  // ---- lifecycle ----

  /** Starts timers and in-process workers; work that fell due while stopped runs now. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    // Workers stopped by an earlier stop() serve again.
    for (const runner of this.#workers.all()) runner.start();
    this.#background.resume();
    await this.#dueWork.start();
  }

  /** Stops timers and polling, then waits for running handlers (up to `stopTimeoutMs`) and in-flight work. */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.#dueWork.stop();
    const runners = this.#workers.all();
    const sleep = (ms: number, signal: AbortSignal) => wallClock.sleep(ms, signal);
    await Promise.all([
      ...runners.map((r) => r.stop(this.#stopTimeoutMs, sleep)),
      this.#background.stop(this.#stopTimeoutMs, sleep),
    ]);
    await this.#activity.settled();
    await this.#sandbox?.close();
    this.#sandbox = null;
  }

  /**
   * Resolves when nothing is due now: decides, system tasks, in-process handlers and the dispatch of newly
   * visible tasks to them. Timers in the future never hold it. Meant for tests.
   */
  async idle(): Promise<void> {
    for (let round = 0; round < 10_000; round++) {
      await this.#activity.settled();
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#activity.size > 0) continue;
      if (!this.#started || !(await this.#dueWork.hasDueWork())) return;
      this.#activity.track(this.#dueWork.pump());
    }
  }

  // ---- metadata ----

  /** Registers task definitions, all or nothing; same-named ones are replaced. */
  registerTaskDefs(defs: TaskDef[]): Promise<void> {
    return this.#definitions.registerTaskDefs(defs);
  }

  /** Replaces an existing task definition. */
  updateTaskDef(def: TaskDef): Promise<void> {
    return this.#definitions.updateTaskDef(def);
  }

  /** A task definition with Conductor's defaults filled in. */
  getTaskDef(name: string): Promise<ResolvedTaskDef> {
    return this.#definitions.getTaskDef(name);
  }

  listTaskDefs(): Promise<ResolvedTaskDef[]> {
    return this.#definitions.listTaskDefs();
  }

  removeTaskDef(name: string): Promise<void> {
    return this.#definitions.removeTaskDef(name);
  }

  /** Registers a workflow definition; an existing name + version is a ConflictError unless `overwrite`. */
  registerWorkflowDef(def: WorkflowDef, options: { overwrite?: boolean } = {}): Promise<void> {
    return this.#definitions.registerWorkflowDef(def, options.overwrite ?? false);
  }

  /** A workflow definition; the latest version when `version` is omitted. */
  async getWorkflowDef(name: string, version?: number): Promise<WorkflowDef> {
    return structuredClone(await this.#definitions.getWorkflowDef(name, version));
  }

  async listWorkflowDefs(): Promise<WorkflowDef[]> {
    return structuredClone(await this.#definitions.listWorkflowDefs());
  }

  removeWorkflowDef(name: string, version: number): Promise<void> {
    return this.#definitions.removeWorkflowDef(name, version);
  }

  // ---- execution ----

  /**
   * Starts a workflow; resolves with its id once its first tasks are scheduled. With an `idempotencyKey`
   * (scoped per workflow name), `idempotencyStrategy` FAIL (the default) refuses the start with a ConflictError
   * while any workflow of the name holds the key, RETURN_EXISTING resolves with that workflow's id, and
   * FAIL_ON_RUNNING refuses only while it is RUNNING or PAUSED (the key then moves to the new workflow). This
   * holds under concurrent starts. `priority` 0–99 orders task queues; `taskToDomain` routes worker tasks.
   */
  startWorkflow(request: StartWorkflowRequest): Promise<string> {
    return this.#startWorkflow(request);
  }

  /**
   * Publishes an event on the in-process bus, as an EVENT task does (`conductor:approvals`). The actions of
   * matching event handlers run in the background (they may act on the publishing workflow): `idle()` waits
   * for them.
   */
  async publishEvent(event: string, payload: Record<string, unknown>): Promise<void> {
    await this.#activity.track(this.#bus.publish({ event, payload }));
  }

  /**
   * Registers an event handler (Conductor's EventHandler JSON; `active` defaults to false, as in Conductor).
   * An existing name is a ConflictError unless `overwrite`; a malformed handler a ValidationError.
   */
  async registerEventHandler(handler: EventHandler, options: { overwrite?: boolean } = {}): Promise<void> {
    const valid = validateEventHandler(handler);
    await this.#store.saveEventHandler(structuredClone(valid), options.overwrite ?? false);
  }

  /** The registered event handlers, or those of one event. */
  async listEventHandlers(event?: string): Promise<EventHandler[]> {
    return structuredClone(await this.#store.listEventHandlers(event));
  }

  /** Removes an event handler; an unknown name is a NotFoundError. */
  async removeEventHandler(name: string): Promise<void> {
    if (!(await this.#store.removeEventHandler(name))) {
      throw new NotFoundError(`Event handler ${name} not found`);
    }
  }

  /** Starts a workflow and waits for it to end. */
  async executeWorkflow(
    request: StartWorkflowRequest,
    options: { timeoutMs?: number } = {},
  ): Promise<Workflow> {
    const id = await this.startWorkflow(request);
    return this.waitForWorkflow(id, options);
  }

  /** A workflow execution, with its tasks unless `includeTasks: false`. */
  async getWorkflow(workflowId: string, options: { includeTasks?: boolean } = {}): Promise<Workflow> {
    const includeTasks = options.includeTasks ?? true;
    const stored = await this.#store.getWorkflow(workflowId, { includeTasks });
    if (!stored) throw new NotFoundError(`Workflow ${workflowId} not found`);
    return publicWorkflow(stored.workflow, stored.tasks);
  }

  /**
   * Finds workflows by type, status (one or a list), correlation id, start time range and free text, newest
   * first unless `sort: 'startTime:ASC'`; `start` and `size` (default 100) page the results, `totalHits`
   * counts every match. Answered by the store. A malformed query is a ValidationError (`status[1]`, `size`).
   */
  async searchWorkflows(query: WorkflowSearchQuery = {}): Promise<WorkflowSearchResult> {
    return this.#store.searchWorkflows(searchCriteria(query));
  }

  /**
   * Resolves with the workflow (and its tasks) once it is terminal; past `timeoutMs` rejects with code TIMEOUT.
   * An end committed by this engine wakes the caller at once; one committed by another process sharing the
   * store is seen at the next re-read of the status, every second.
   */
  async waitForWorkflow(workflowId: string, options: { timeoutMs?: number } = {}): Promise<Workflow> {
    await this.#workflowEnds.wait(workflowId, options.timeoutMs);
    return this.getWorkflow(workflowId);
  }

  // ---- operations (Conductor's semantics; see src/engine/operations/) ----

  /**
   * Pauses a running workflow: nothing new is scheduled and system tasks (WAIT, JOIN, …) stand still until
   * `resumeWorkflow`; workers may still poll and complete tasks already SCHEDULED. Ended: ConflictError;
   * already PAUSED: no-op.
   */
  async pauseWorkflow(workflowId: string): Promise<void> {
    await this.#activity.track(this.#operations.pause(workflowId));
  }

  /** Resumes a PAUSED workflow (its timeout counts again from now) and decides. Not PAUSED: ConflictError. */
  async resumeWorkflow(workflowId: string): Promise<void> {
    await this.#activity.track(this.#operations.resume(workflowId));
  }

  /**
   * Terminates a workflow: pending tasks are canceled and running sub-workflows terminated. A FAILED or
   * TIMED_OUT workflow is re-marked TERMINATED; a TERMINATED one is left alone; a COMPLETED one is a
   * ConflictError. The definition's failureWorkflow starts only with `triggerFailureWorkflow: true`.
   */
  async terminateWorkflow(
    workflowId: string,
    reason?: string | null,
    options: TerminateWorkflowOptions = {},
  ): Promise<void> {
    await this.#activity.track(this.#operations.terminate(workflowId, reason ?? null, options));
  }

  /**
   * Runs a workflow that has ended again from its first task, under the same id (tasks deleted, `createTime` =
   * now); `useLatestDefinitions` takes the latest definition. Still running, or COMPLETED with a definition
   * that is not `restartable`: ConflictError.
   */
  async restartWorkflow(workflowId: string, options: RestartWorkflowOptions = {}): Promise<void> {
    await this.#activity.track(this.#operations.restart(workflowId, options));
  }

  /**
   * Retries a workflow that has ended from its failed tasks (each gets a new attempt; canceled JOINs and loops
   * wait again). `resumeSubworkflowTasks` retries the failed sub-workflow in place instead of starting a new
   * child. Still running, or nothing to retry: ConflictError.
   */
  async retryWorkflow(workflowId: string, options: RetryWorkflowOptions = {}): Promise<void> {
    await this.#activity.track(this.#operations.retry(workflowId, options));
  }

  /**
   * Reruns a workflow that has ended (COMPLETED too), from `reRunFromTaskId` (which may sit in a sub-workflow)
   * or from the start, with optional new task and workflow input; resolves with the same id. Still running:
   * ConflictError; unknown task: NotFoundError.
   */
  rerunWorkflow(workflowId: string, request: RerunWorkflowRequest = {}): Promise<string> {
    return this.#activity.track(this.#operations.rerun(workflowId, request));
  }

  /**
   * Skips a step of a RUNNING workflow that has no task yet: a SKIPPED task with the given input and output
   * stands for it. Not RUNNING, a reference name not in the definition or already present: ConflictError.
   */
  async skipTask(
    workflowId: string,
    taskReferenceName: string,
    request: SkipTaskRequest = {},
  ): Promise<void> {
    await this.#activity.track(this.#operations.skipTask(workflowId, taskReferenceName, request));
  }

  /** Deletes a workflow with its tasks, logs and queue messages; `waitForWorkflow` callers get NotFoundError. */
  async removeWorkflow(workflowId: string): Promise<void> {
    await this.#activity.track(this.#operations.remove(workflowId));
    this.#workflowEnds.ended(workflowId);
  }

  // ---- external workers ----

  /** Takes one task of a type, or null; never blocks. */
  async pollTask(
    taskType: string,
    options: { workerId?: string; domain?: string } = {},
  ): Promise<Task | null> {
    const [task] = await this.#executor.pollTasks(
      queueName(taskType, options.domain),
      1,
      options.workerId ?? null,
    );
    return task ? publicTask(task) : null;
  }

  /** Takes up to `count` tasks, waiting up to `timeoutMs` (wall time) for the first to arrive. */
  async batchPollTasks(
    taskType: string,
    options: { count?: number; timeoutMs?: number; workerId?: string; domain?: string } = {},
  ): Promise<Task[]> {
    const name = queueName(taskType, options.domain);
    const count = options.count ?? 1;
    const deadline = wallClock.now() + (options.timeoutMs ?? 100);
    for (;;) {
      const tasks = await this.#executor.pollTasks(name, count, options.workerId ?? null);
      const left = deadline - wallClock.now();
      if (tasks.length > 0 || left <= 0) return tasks.map(publicTask);
      const arrival = this.#queueArrivals.waiter(name, Math.min(left, 50));
      await arrival.fired;
    }
  }

  /** Reports a task's result. Unknown task: NotFoundError; malformed: ValidationError; already terminal: no-op. */
  async updateTask(result: TaskResult): Promise<void> {
    await this.#activity.track(this.#executor.updateTask(validateTaskResult(result)));
  }

  async getTask(taskId: string): Promise<Task> {
    const task = await this.#store.getTask(taskId);
    if (!task) throw new NotFoundError(`Task ${taskId} not found`);
    return publicTask(task);
  }

  async addTaskLog(taskId: string, message: string): Promise<void> {
    if (!(await this.#store.getTask(taskId))) throw new NotFoundError(`Task ${taskId} not found`);
    await this.#store.appendTaskLogs([{ taskId, log: String(message), createdTime: this.#clock.now() }]);
  }

  getTaskLogs(taskId: string): Promise<TaskExecLog[]> {
    return this.#store.getTaskLogs(taskId);
  }

  /** Waiting tasks per queue (`domain:taskType` for a domain); all non-empty task queues when no types given. */
  async getQueueSizes(taskTypes?: string[]): Promise<Record<string, number>> {
    const sizes = await this.#queue.sizes(taskTypes);
    delete sizes[DECIDE_QUEUE];
    return sizes;
  }

  // ---- in-process workers ----

  /** Runs `handler` for every task of `taskType`, pushed to it as soon as the task is visible. */
  registerWorker(taskType: string, handler: WorkerHandler, options: WorkerOptions = {}): WorkerRegistration {
    const runner = new WorkerRunner(
      {
        clock: this.#clock,
        pollTasks: async (queue, count, workerId) =>
          (await this.#executor.pollTasks(queue, count, workerId)).map(publicTask),
        // Not tracked again: the runner tracks the whole run of a task, its report included.
        updateTask: (result) => this.#reportResult(result),
        track: (promise) => this.#activity.track(promise),
        reportError: (error, context) => this.#logger.error(`Worker error while ${context}`, error),
      },
      taskType,
      handler,
      options,
    );
    this.#workers.add(runner);
    if (this.#started) {
      runner.start();
      runner.dispatch();
    }
    return {
      stop: async () => {
        this.#workers.delete(runner);
        await runner.stop(this.#stopTimeoutMs, (ms, signal) => wallClock.sleep(ms, signal));
      },
    };
  }

  // ---- internals ----

  /** A background job's outcome, applied as a worker's result would be (a task that has ended ignores it). */
  async #applyBackgroundOutcome(task: Task, outcome: BackgroundOutcome): Promise<void> {
    try {
      await this.#executor.updateTask({
        taskId: task.taskId,
        workflowInstanceId: task.workflowInstanceId,
        status: outcome.status,
        outputData: outcome.outputData,
        reasonForIncompletion: outcome.reasonForIncompletion,
      });
    } catch (error) {
      // The workflow was removed while the job ran: nothing is left to update.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  #scripts(): Sandbox {
    this.#sandbox ??= new Sandbox(this.sandboxOptions);
    return this.#sandbox;
  }

  /** Starts a workflow; a child's fixed id that exists already (a redone SUB_WORKFLOW step) returns that id. */
  async #startWorkflow(request: ChildWorkflowRequest & { event?: string }): Promise<string> {
    const { workflowId, parentWorkflowId, parentWorkflowTaskId, event, ...rest } = request;
    const req = validateStartRequest(rest);
    const def = req.workflowDef
      ? await this.#definitions.prepare(req.workflowDef)
      : await this.#definitions.preparedDef(req.name, req.version);
    const workflow = newWorkflowRecord(req, def, {
      workflowId: workflowId ?? this.#newId(),
      now: this.#clock.now(),
      parentWorkflowId,
      parentWorkflowTaskId,
      event,
    });
    try {
      await this.#activity.track(this.#executor.create(workflow, idempotencyClaim(req)));
    } catch (error) {
      if (workflowId && BatonError.is(error, 'VERSION_CONFLICT')) return workflowId;
      const existing = existingWorkflowOnClash(error, req);
      if (existing !== null) return existing;
      throw error;
    }
    return workflow.workflowId;
  }

  #emit(name: EngineEventName, payload: () => Workflow | Task): void {
    if (this.listenerCount(name) === 0) return;
    const raw = payload();
    const value = 'workflowId' in raw ? publicWorkflow(raw, raw.tasks) : publicTask(raw);
    try {
      (this.emit as (n: string, v: unknown) => boolean)(name, value);
    } catch (error) {
      this.#logger.error(`A listener of ${name} threw`, error);
    }
  }

  /** An in-process worker's result: a malformed one rejects (ValidationError) like any other failure. */
  #reportResult(result: TaskResult): Promise<void> {
    try {
      return this.#executor.updateTask(validateTaskResult(result));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #claimLocalWorker(queue: string) {
    const claim = this.#started ? this.#workers.claim(queue) : null;
    if (!claim) return null;
    return {
      workerId: claim.workerId,
      deliver: (task: Task) => claim.deliver(publicTask(task)),
      release: () => claim.release(),
    };
  }

  #notifyEnded(workflow: WorkflowRecord): void {
    // A child's end moves its parent's SUB_WORKFLOW task on.
    if (workflow.parentWorkflowId) {
      const parentId = workflow.parentWorkflowId;
      this.#activity.track(
        this.#executor
          .decide(parentId)
          .catch((error) => this.#logger.error(`Decide of workflow ${parentId} failed`, error)),
      );
    }
    this.#workflowEnds.ended(workflow.workflowId);
  }
}
