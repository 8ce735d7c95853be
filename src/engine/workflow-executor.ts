import type { Clock } from '../clock/clock.js';
import { decide } from '../decider/decide.js';
import type { WorkflowOutcome } from '../decider/decision.js';
import { defIndex } from '../decider/def-index.js';
import { workflowOutput } from '../decider/output.js';
import { effectiveTaskDef } from '../decider/task-defs.js';
import { TaskFactory } from '../decider/task-factory.js';
import { earliestDeadline } from '../decider/timeouts.js';
import { BatonError, NotFoundError } from '../errors.js';
import { type EngineEventName, taskEventFor, workflowEndEventFor } from '../events.js';
import { isTerminalTask, isTerminalWorkflow } from '../model/status.js';
import type { Task } from '../model/task.js';
import type { TaskResult } from '../model/task-result.js';
import type { Workflow, WorkflowRecord } from '../model/workflow.js';
import type { Queue, QueueOp } from '../queue/queue.js';
import type { IdempotencyClaim, Store } from '../store/store.js';
import type { TaskTypeRegistry } from '../tasks/registry.js';
import type { BackgroundJob, ChildWorkflowRequest, ExecuteContext, TaskType } from '../tasks/task-type.js';
import { planFailureWorkflow, startFailureWorkflow } from './failure-workflow.js';
import { Lanes } from './lanes.js';
import { withTasks } from './public-copies.js';
import { hasTaskLimits, TaskLimitGate } from './task-limits.js';
import { applyTaskResult, resultLogs } from './task-result.js';
import { DECIDE_QUEUE, taskQueueName, WorkingState } from './working-state.js';

/** What the executor needs from the engine around it. */
export interface ExecutorDeps {
  readonly store: Store;
  readonly queue: Queue;
  readonly clock: Clock;
  readonly taskTypes: TaskTypeRegistry;
  readonly newId: () => string;
  readonly env?: (name: string) => string | undefined;
  /** Whether a task domain has a live worker for a task type at `now` (taskToDomain lists). */
  readonly isDomainActive?: (taskType: string, domain: string, now: number) => boolean;
  /** Called on every poll of a task queue (a domain's pollers count as live for a while). */
  onPoll?(queueName: string, now: number): void;
  /** Emits an event; `payload` is called only when someone listens. */
  emit(name: EngineEventName, payload: () => Workflow | Task): void;
  /** Called after every commit with its queue ops, so timers and in-process workers can react. */
  afterCommit(ops: readonly QueueOp[], now: number): void;
  /** Called when a workflow reaches a terminal status. */
  onWorkflowEnded(workflow: WorkflowRecord): void;
  /** Starts a workflow for a task (SUB_WORKFLOW, START_WORKFLOW). */
  startWorkflow(request: ChildWorkflowRequest): Promise<string>;
  publishEvent(event: string, payload: Record<string, unknown>): Promise<void>;
  /** Reserves a free slot of an in-process worker polling `queueName`, or null. */
  claimLocalWorker(queueName: string): LocalClaim | null;
  /** Evaluates JavaScript in the sandbox (`$` = input). */
  evaluate(script: string, input: Record<string, unknown>): Promise<unknown>;
  /** Runs a system task's job outside the unit of work, then applies its outcome (see ExecuteContext). */
  runInBackground(task: Task, job: BackgroundJob): void;
  /** Aborts a task's background job; its outcome is dropped. */
  cancelBackground(taskId: string): void;
}

/** A reserved slot of an in-process worker: `deliver` hands it the task, `release` gives the slot back. */
export interface LocalClaim {
  readonly workerId: string;
  deliver(task: Task): void;
  release(): void;
}

// A unit of work that keeps moving (a loop of system tasks) is committed after this many passes and continued
// by a decide queued for now, so one workflow cannot hold its lane, or build an unbounded commit, forever.
const MAX_DECIDE_PASSES = 200;
const MAX_COMMIT_ATTEMPTS = 20;
/** How long a polled message stays invisible before it is redelivered if the poller never commits. */
const POLL_LEASE_MS = 60_000;

/**
 * Load → decide → commit, for one workflow at a time (DESIGN.md section 3). Every change to a workflow (start,
 * decide, poll, task result) is one unit of work in the workflow's lane, committed atomically with version
 * fencing and retried on fresh state when another process won the race.
 */
export class WorkflowExecutor {
  readonly #deps: ExecutorDeps;
  readonly #lanes = new Lanes();
  readonly #limits = new TaskLimitGate(() => this.#deps);

  constructor(deps: ExecutorDeps) {
    this.#deps = deps;
  }

  /** Creates a workflow and commits its first decide (first tasks SCHEDULED). */
  async create(workflow: WorkflowRecord, idempotency?: IdempotencyClaim): Promise<void> {
    await this.#lanes.run(workflow.workflowId, async () => {
      const state = WorkingState.create(workflow);
      await this.#runDecide(state);
      await this.#commit(state, idempotency);
    });
  }

  /** Runs a decide for a workflow. `fromWake`: a durable wakeup fired, so its message is re-timed either way. */
  async decide(workflowId: string, options: { fromWake?: boolean } = {}): Promise<void> {
    const { store, queue } = this.#deps;
    await this.#lanes.run(workflowId, async () => {
      for (let attempt = 1; ; attempt++) {
        const stored = await store.getWorkflow(workflowId);
        if (!stored) {
          if (options.fromWake) await queue.remove(DECIDE_QUEUE, [workflowId]);
          return;
        }
        const state = new WorkingState(stored);
        await this.#runDecide(state);
        if (!state.hasChanges) {
          if (options.fromWake) await queue.apply(state.toCommit(this.#deps.clock.now(), () => false).queue);
          return;
        }
        if (await this.#tryCommit(state, attempt)) return;
      }
    });
  }

  /** Applies a change to a workflow and, when it changed something, decides and commits. */
  mutate<T>(
    workflowId: string,
    change: (state: WorkingState) => T | Promise<T>,
    decideAfter = true,
  ): Promise<T> {
    return this.#lanes.run(workflowId, async () => {
      for (let attempt = 1; ; attempt++) {
        const stored = await this.#deps.store.getWorkflow(workflowId);
        if (!stored) throw new NotFoundError(`Workflow ${workflowId} not found`);
        const state = new WorkingState(stored);
        const changed = change(state);
        // Most changes are synchronous: an await would cost a microtask turn and a suspended frame each time.
        const result = changed instanceof Promise ? await changed : changed;
        if (!state.hasChanges) return result;
        if (decideAfter) await this.#runDecide(state);
        if (await this.#tryCommit(state, attempt)) return result;
      }
    });
  }

  /**
   * Leases up to `count` tasks from a task queue and marks them IN_PROGRESS (Conductor's poll: `startTime` on
   * the first poll only, `pollCount` + 1, `workerId`). Stale messages (task gone or no longer SCHEDULED) are
   * dropped.
   */
  async pollTasks(queueName: string, count: number, workerId: string | null): Promise<Task[]> {
    const { queue, store, clock } = this.#deps;
    this.#deps.onPoll?.(queueName, clock.now());
    const leases = await queue.poll(queueName, { count, now: clock.now(), leaseMs: POLL_LEASE_MS });
    const polled: Task[] = [];
    for (const lease of leases) {
      const stored = await store.getTask(lease.id);
      // Rate and concurrency limits: a denied task stays SCHEDULED, its message re-timed (task-limits.ts).
      const gate = stored && this.#limits.admit(stored, lease);
      const admission = gate ? await gate : null;
      if (admission && !admission.admitted) continue;
      let task: Task | null = null;
      try {
        task = stored && (await this.#markPolled(stored.workflowInstanceId, lease.id, workerId));
      } finally {
        if (!task && admission) admission.release();
      }
      if (task) polled.push(task);
      else await queue.ack(lease);
    }
    return polled;
  }

  async #markPolled(workflowId: string, taskId: string, workerId: string | null): Promise<Task | null> {
    try {
      return await this.mutate(
        workflowId,
        (state) => {
          const task = state.findTask(taskId);
          if (task?.status !== 'SCHEDULED' || isTerminalWorkflow(state.workflow.status)) return null;
          return this.#start(state, task, workerId, this.#deps.clock.now());
        },
        false,
      );
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  /** Conductor's poll: IN_PROGRESS, `startTime` on the first poll only, `pollCount` + 1, `workerId`. */
  #start(state: WorkingState, task: Task, workerId: string | null, now: number): Task {
    const started: Task = {
      ...task,
      status: 'IN_PROGRESS',
      startTime: task.startTime > 0 ? task.startTime : now,
      pollCount: task.pollCount + 1,
      workerId,
      updateTime: now,
      callbackAfterSeconds: 0,
    };
    state.putTask(started);
    const due = earliestDeadline(started, this.#defOf(started));
    if (due !== null) state.earlyWakes.push(due);
    return started;
  }

  /**
   * Hands tasks created in this unit of work straight to in-process workers with a free slot, as if polled
   * (push dispatch): the task is committed IN_PROGRESS and never waits in its queue. Only tasks visible now and
   * free of rate and concurrency limits qualify; the rest go through the queue.
   */
  #handOff(state: WorkingState, now: number): Array<{ claim: LocalClaim; task: Task }> {
    const handoffs: Array<{ claim: LocalClaim; task: Task }> = [];
    if (isTerminalWorkflow(state.workflow.status) || state.workflow.status === 'PAUSED') return handoffs;
    for (const created of state.createdTasks()) {
      const task = state.findTask(created.taskId);
      if (task?.status !== 'SCHEDULED' || task.callbackAfterSeconds > 0) continue;
      // Rate and concurrency limits are enforced at poll time, so such tasks always go through their queue.
      if (!this.#isWorkerTask(task) || hasTaskLimits(task)) continue;
      const claim = this.#deps.claimLocalWorker(taskQueueName(task));
      if (!claim) continue;
      handoffs.push({ claim, task: this.#start(state, task, claim.workerId, now) });
    }
    return handoffs;
  }

  /**
   * Applies a worker's result and decides. A result for a task that is already terminal, or whose workflow is,
   * changes nothing (duplicate deliveries are normal with at-least-once workers).
   */
  async updateTask(result: TaskResult): Promise<void> {
    const { store, clock } = this.#deps;
    const stored = await store.getTask(result.taskId);
    if (!stored) throw new NotFoundError(`Task ${result.taskId} not found`);
    const workflowId = stored.workflowInstanceId;
    if (result.workflowInstanceId && result.workflowInstanceId !== workflowId) {
      throw new NotFoundError(`Task ${result.taskId} not found in workflow ${result.workflowInstanceId}`);
    }
    // A result for a task already terminal (also every task of a terminal workflow) changes nothing: no logs.
    const logs = isTerminalTask(stored.status) ? [] : resultLogs(result, clock.now());
    if (logs.length > 0) await store.appendTaskLogs(logs);
    await this.mutate(workflowId, (state) => {
      const task = state.findTask(result.taskId);
      if (!task || isTerminalTask(task.status) || isTerminalWorkflow(state.workflow.status)) return;
      state.putTask(applyTaskResult(task, result, clock.now(), this.#isWorkerTask(task)));
    });
  }

  /** Decides until the state settles: schedules, runs system tasks, and ends the workflow when it is over. */
  async #runDecide(state: WorkingState): Promise<void> {
    const { clock, newId, taskTypes, env } = this.#deps;
    for (let pass = 0; pass < MAX_DECIDE_PASSES; pass++) {
      const now = clock.now();
      const isDomainActive = this.#domainLookup(state.workflow, now);
      const decision = decide({
        workflow: state.workflow,
        tasks: state.tasks,
        now,
        newId,
        taskTypes,
        env,
        isDomainActive,
      });
      for (const task of decision.updated) state.putTask(task);
      for (const task of decision.scheduled) state.addTask(task);
      if (decision.outcome) {
        await this.#end(state, decision.outcome, true);
        return;
      }
      const first = this.#firstRunnableSystemTask(state);
      const progressed = first >= 0 && (await this.#runSystemTasks(state, first));
      // Another pass is needed only when a system task moved or a task was created already finished (FORK);
      // worker tasks just scheduled or retried change nothing until their worker reports.
      if (!progressed && !decision.scheduled.some((t) => isTerminalTask(t.status))) {
        state.wakeAt = isTerminalWorkflow(state.workflow.status) ? null : decision.wakeAt;
        return;
      }
    }
    state.wakeAt = clock.now();
  }

  /**
   * The index of the first pending system task, or -1 (found first, so a decide of worker tasks never awaits,
   * and the run starts there instead of scanning the tasks again).
   */
  #firstRunnableSystemTask(state: WorkingState): number {
    // A paused workflow does not move on: its WAIT, JOIN, DO_WHILE, … wait for the resume.
    if (state.workflow.status === 'PAUSED') return -1;
    return state.tasks.findIndex((task) => this.#runnableSystemType(task) !== null);
  }

  /** The task type that executes `task` now: a pending system task's; null for anything else. */
  #runnableSystemType(task: Task): TaskType | null {
    if (task.retried || isTerminalTask(task.status)) return null;
    const type = this.#deps.taskTypes.get(task.workflowTask.type);
    return type.kind === 'system' && type.execute ? type : null;
  }

  /** Runs every pending system task from index `from` on once; true when one of them changed. */
  async #runSystemTasks(state: WorkingState, from: number): Promise<boolean> {
    let progressed = false;
    const tasks = state.tasks;
    // By index over the tasks present now: a system task may append new ones (a DO_WHILE iteration).
    for (let i = from, n = tasks.length; i < n; i++) {
      const task = tasks[i];
      const type = this.#runnableSystemType(task);
      if (!type?.execute) continue;
      const ctx = this.#executeContext(state);
      let changed: Task | null;
      try {
        changed = await type.execute(task, ctx);
      } catch (error) {
        changed = {
          ...task,
          status: 'FAILED',
          reasonForIncompletion: String((error as Error)?.message ?? error),
          endTime: ctx.now,
        };
      }
      if (changed && changed !== task) {
        state.putTask(changed);
        progressed = true;
      }
    }
    return progressed;
  }

  /** What a system task may see and do while it runs (its changes land in this unit of work). */
  #executeContext(state: WorkingState): ExecuteContext {
    const deps = this.#deps;
    const now = deps.clock.now();
    return {
      workflow: state.workflow,
      tasks: state.tasks,
      now,
      index: defIndex(state.workflow.workflowDefinition),
      isNew: (task) => state.createdTasks().some((t) => t.taskId === task.taskId),
      schedule: (step, iteration) => {
        const options = {
          now,
          newId: deps.newId,
          taskTypes: deps.taskTypes,
          env: deps.env,
          isDomainActive: this.#domainLookup(state.workflow, now),
        };
        const factory = new TaskFactory(
          () => state.workflow,
          state.tasks,
          options,
          (t) => state.recordNewTask(t),
        );
        return factory.scheduleStep(step, iteration);
      },
      setVariables: (variables) =>
        state.setWorkflow({ variables: { ...state.workflow.variables, ...variables } }),
      startWorkflow: (request) => deps.startWorkflow(request),
      getWorkflow: async (workflowId) => {
        const stored = await deps.store.getWorkflow(workflowId);
        return stored ? withTasks(stored.workflow, [...stored.tasks]) : null;
      },
      terminateWorkflow: (workflowId, reason) => this.terminate(workflowId, reason),
      publishEvent: (event, payload) => deps.publishEvent(event, payload),
      evaluate: (script, input) => deps.evaluate(script, input),
      runInBackground: (task, job) => deps.runInBackground(task, job),
      cancelBackground: (task) => deps.cancelBackground(task.taskId),
    };
  }

  /**
   * Ends a running or paused workflow with `status` (an API terminate, a parent canceling its child): pending
   * tasks are canceled. A workflow that has ended already is left as it is.
   */
  async terminate(
    workflowId: string,
    reason: string | null,
    status: WorkflowOutcome['status'] = 'TERMINATED',
  ): Promise<void> {
    await this.mutate(
      workflowId,
      async (state) => {
        if (isTerminalWorkflow(state.workflow.status)) return;
        await this.#end(state, { status, reason, task: null });
      },
      false,
    );
  }

  /**
   * Ends the workflow within a unit of work (an operation's `mutate`); `triggerFailureWorkflow` starts the
   * definition's failureWorkflow after the commit.
   */
  end(state: WorkingState, outcome: WorkflowOutcome, triggerFailureWorkflow: boolean): Promise<void> {
    return this.#end(state, outcome, triggerFailureWorkflow);
  }

  /**
   * Ends the workflow: cancels what is still pending, resolves the output, records the failure. An engine-driven
   * failure (`triggerFailureWorkflow`) plans the failure workflow (failure-workflow.ts).
   */
  async #end(state: WorkingState, outcome: WorkflowOutcome, triggerFailureWorkflow = false): Promise<void> {
    const now = this.#deps.clock.now();
    const failed = state.tasks.filter(
      (t) => t.status === 'FAILED' || t.status === 'FAILED_WITH_TERMINAL_ERROR',
    );
    state.setWorkflow({
      status: outcome.status,
      output: outcome.output ?? workflowOutput(state.workflow, state.tasks, this.#deps.env),
      reasonForIncompletion: outcome.reason,
      endTime: now,
      updateTime: now,
      failedTaskId: outcome.task?.taskId ?? null,
      failedReferenceTaskNames: unique(failed.map((t) => t.referenceTaskName)),
      failedTaskNames: unique(failed.map((t) => t.taskDefName)),
    });
    // Canceled after the status and reason are set (as Conductor's terminateWorkflow does): a SUB_WORKFLOW's
    // cancel passes the parent's reason on to the child it terminates.
    for (const task of state.pendingTasks()) {
      state.putTask({ ...task, status: 'CANCELED', endTime: now, updateTime: now });
      const type = this.#deps.taskTypes.get(task.workflowTask.type);
      await type.cancel?.(task, this.#executeContext(state));
    }
    state.wakeAt = null;
    if (triggerFailureWorkflow) planFailureWorkflow(state, outcome);
  }

  /** Commits; false when another writer won the version race and the unit of work must be redone. */
  async #tryCommit(state: WorkingState, attempt: number): Promise<boolean> {
    try {
      await this.#commit(state);
      return true;
    } catch (error) {
      if (BatonError.is(error, 'VERSION_CONFLICT') && attempt < MAX_COMMIT_ATTEMPTS) return false;
      throw error;
    }
  }

  async #commit(state: WorkingState, idempotency?: IdempotencyClaim): Promise<void> {
    const { store, queue, clock } = this.#deps;
    const now = clock.now();
    if (!state.hasChanges) return;
    const created = state.version === 0;
    const handoffs = this.#handOff(state, now);
    const commit = state.toCommit(now, (t) => this.#isWorkerTask(t));
    try {
      await store.commit(idempotency ? { ...commit, idempotency } : commit);
    } catch (error) {
      for (const { claim } of handoffs) claim.release();
      throw error;
    }
    if (commit.queue.length > 0 && !store.commitsQueue(queue)) await queue.apply(commit.queue);
    this.#deps.afterCommit(commit.queue, now);
    const freeing = this.#limits.committed(state.transitions, (id) => state.findTask(id));
    if (freeing) await freeing;
    // Started before the failed workflow's end is announced, so whoever it wakes (waitForWorkflow, a listener)
    // finds the failure workflow whose id the output names.
    if (state.failureWorkflow) await startFailureWorkflow(state.failureWorkflow, this.#deps);
    this.#emitEvents(state, created);
    for (const { claim, task } of handoffs) claim.deliver(task);
  }

  #emitEvents(state: WorkingState, created: boolean): void {
    const { emit } = this.#deps;
    const workflowPayload = () => withTasks(state.workflow, state.tasks.slice());
    if (created) emit('workflow.started', workflowPayload);
    for (const { name, workflow } of state.announcements) {
      emit(name, () => withTasks(workflow, state.tasks.slice()));
    }
    for (const { task, from } of state.transitions) {
      // A worker's IN_PROGRESS report re-queues the task; that is not a new scheduling.
      if (from === 'IN_PROGRESS' && task.status === 'SCHEDULED') continue;
      const name = taskEventFor(task.status);
      if (name) emit(name, () => task);
    }
    if (isTerminalWorkflow(state.workflow.status) && state.transitions.length + (created ? 1 : 0) >= 0) {
      const ended = state.workflow;
      if (ended.endTime === null || ended.endTime === undefined) return;
      emit(workflowEndEventFor(ended.status), workflowPayload);
      this.#deps.onWorkflowEnded(ended);
    }
  }

  /** The decider's view of live task domains at `now`; none needed for a workflow without taskToDomain. */
  #domainLookup(
    workflow: WorkflowRecord,
    now: number,
  ): ((taskType: string, domain: string) => boolean) | undefined {
    const lookup = this.#deps.isDomainActive;
    if (!lookup || !hasEntries(workflow.taskToDomain)) return undefined;
    return (taskType, domain) => lookup(taskType, domain, now);
  }

  #isWorkerTask(task: Task): boolean {
    return this.#deps.taskTypes.get(task.workflowTask.type).kind === 'worker';
  }

  #defOf(task: Task) {
    return effectiveTaskDef(task.workflowTask, !this.#isWorkerTask(task));
  }
}

function hasEntries(map: Record<string, unknown> | null | undefined): boolean {
  for (const _ in map) return true;
  return false;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
