/**
 * The checks of the SQLite crash test (crash.test.ts), run on the database and journal the killed and restarted
 * engine processes left behind. Each check adds readable problems to a list rather than throwing at the first,
 * so one failed run shows everything that went wrong.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { sqlite } from '../../../src/adapters/sqlite/index.js';
import { Engine, type Task, type Workflow } from '../../../src/index.js';
import { expectedOutput, plannedWorkflows, step, WORKER_TYPES } from './crash-workflows.js';

export interface CrashAudit {
  /** Empty when the database passes every check. */
  problems: string[];
  workflows: number;
  tasks: number;
  /** Worker results the journal says the engine committed. */
  acks: number;
  /** Results a worker returned that were never acknowledged (the process died first). */
  unacked: number;
  /** Worker tasks that timed out: attempts left IN_PROGRESS by a killed run. */
  timedOut: number;
}

/** Opens the database read-only in effect (an engine that is never started) and checks it. */
export async function auditCrashDatabase(dbPath: string, journalPath: string): Promise<CrashAudit> {
  const backend = sqlite({ path: dbPath });
  const engine = new Engine({ ...backend, logger: { warn() {}, error() {} } });
  try {
    const problems: string[] = [];
    const workflows = await loadAll(engine);
    const byId = new Map(workflows.map((w) => [w.workflowId, w]));
    checkTopLevel(workflows, byId, problems);
    for (const workflow of workflows) {
      checkScheduledOnce(workflow, problems);
      checkWorkerOutputs(workflow, problems);
    }
    checkChildren(workflows, byId, problems);
    const journal = await checkJournal(engine, journalPath, problems);
    await checkQueuesDrained(backend.queue, problems);
    const tasks = workflows.flatMap((w) => w.tasks);
    return {
      problems,
      workflows: workflows.length,
      tasks: tasks.length,
      ...journal,
      timedOut: tasks.filter((t) => t.status === 'TIMED_OUT').length,
    };
  } finally {
    await backend.queue.close();
    await backend.store.close();
  }
}

async function loadAll(engine: Engine): Promise<Workflow[]> {
  const { results, totalHits } = await engine.searchWorkflows({ size: 100_000, sort: 'startTime:ASC' });
  if (results.length !== totalHits) throw new Error(`search returned ${results.length} of ${totalHits}`);
  return Promise.all(results.map((r) => engine.getWorkflow(r.workflowId)));
}

/** Every planned workflow exists exactly once (idempotent starts), COMPLETED, with its expected output. */
function checkTopLevel(
  workflows: readonly Workflow[],
  byId: ReadonlyMap<string, Workflow>,
  problems: string[],
): void {
  const topLevel = workflows.filter((w) => w.parentWorkflowId === null);
  const byKey = groupBy(topLevel, (w) => w.idempotencyKey ?? '');
  const planned = plannedWorkflows();
  for (const plan of planned) {
    const found = byKey.get(plan.key) ?? [];
    if (found.length !== 1) {
      problems.push(`${plan.key}: ${found.length} workflows instead of 1`);
      continue;
    }
    const [w] = found;
    if (w.status !== 'COMPLETED') {
      problems.push(
        `${plan.key} (${w.workflowId}, ${w.workflowName}): ${w.status} ${describePending(w, byId)}`,
      );
    } else if (!isDeepStrictEqual(w.output, expectedOutput(plan))) {
      problems.push(
        `${plan.key} (${w.workflowName}): output ${JSON.stringify(w.output)}, expected ${JSON.stringify(expectedOutput(plan))}`,
      );
    }
  }
  const keys = new Set(planned.map((p) => p.key));
  for (const w of topLevel) {
    if (!keys.has(w.idempotencyKey ?? '')) {
      problems.push(`unplanned workflow ${w.workflowId} (${w.workflowName})`);
    }
  }
}

/** No step was scheduled twice: (reference name, iteration, retry count) is unique within a workflow. */
function checkScheduledOnce(workflow: Workflow, problems: string[]): void {
  const seen = new Map<string, Task>();
  for (const task of workflow.tasks) {
    const key = `${task.referenceTaskName}#${task.iteration}#${task.retryCount}`;
    const earlier = seen.get(key);
    if (earlier) {
      problems.push(
        `${workflow.workflowId} (${workflow.workflowName}): ${key} scheduled twice (tasks ${earlier.taskId} ${earlier.status}, ${task.taskId} ${task.status})`,
      );
    }
    seen.set(key, task);
  }
}

/** A completed worker task carries the result of its own input: no result was applied to the wrong task. */
function checkWorkerOutputs(workflow: Workflow, problems: string[]): void {
  for (const task of workflow.tasks) {
    const isWorkerTask = (WORKER_TYPES as readonly string[]).includes(task.taskType);
    if (!isWorkerTask || task.status !== 'COMPLETED') continue;
    const { value, start, k } = task.inputData as { value: number | null; start?: number; k: number };
    const expected = step((value ?? start) as number, k);
    if (task.outputData.value !== expected) {
      problems.push(
        `${workflow.workflowId}: task ${task.referenceTaskName} (${task.taskId}) output ${JSON.stringify(task.outputData)}, expected value ${expected}`,
      );
    }
  }
}

/**
 * Each SUB_WORKFLOW task started exactly one child (a redone start found the child instead of making another)
 * and every child belongs to a SUB_WORKFLOW task that names it.
 */
function checkChildren(
  workflows: readonly Workflow[],
  byId: ReadonlyMap<string, Workflow>,
  problems: string[],
): void {
  const children = workflows.filter((w) => w.parentWorkflowId !== null);
  const childrenOf = groupBy(children, (w) => w.parentWorkflowId!);
  for (const w of children) {
    const parent = byId.get(w.parentWorkflowId!);
    const task = parent?.tasks.find((t) => t.taskId === w.parentWorkflowTaskId);
    if (task?.taskType !== 'SUB_WORKFLOW' || task.subWorkflowId !== w.workflowId) {
      problems.push(`child ${w.workflowId} is not the sub-workflow of a task of ${w.parentWorkflowId}`);
    }
    if (w.status !== 'COMPLETED') {
      problems.push(`child ${w.workflowId}: ${w.status} ${describePending(w, byId)}`);
    }
  }
  for (const parent of workflows) {
    const subTasks = parent.tasks.filter((t) => t.taskType === 'SUB_WORKFLOW');
    const started = childrenOf.get(parent.workflowId)?.length ?? 0;
    if (started !== subTasks.length) {
      problems.push(
        `${parent.workflowId}: ${subTasks.length} SUB_WORKFLOW tasks but ${started} child workflows`,
      );
    }
  }
}

/**
 * Every result the engine acknowledged (the `ack` lines) is in the database with its status. A line cut short by
 * the kill (no newline) is not a line.
 */
async function checkJournal(
  engine: Engine,
  journalPath: string,
  problems: string[],
): Promise<{ acks: number; unacked: number }> {
  const text = existsSync(journalPath) ? readFileSync(journalPath, 'utf8') : '';
  const lines = text.split('\n').slice(0, -1);
  const acked = new Set<string>();
  const returned = new Set<string>();
  for (const line of lines) {
    const [kind, taskId, status] = line.split(' ');
    if (kind === 'result') {
      returned.add(taskId);
      continue;
    }
    if (kind !== 'ack') continue;
    acked.add(taskId);
    const task = await engine.getTask(taskId).catch(() => null);
    if (!task) problems.push(`acknowledged result of task ${taskId} (${status}) lost: no such task`);
    else if (task.status !== status) {
      problems.push(
        `acknowledged result of task ${taskId} lost: ${status} acknowledged, ${task.status} stored`,
      );
    }
  }
  if (acked.size === 0) problems.push('the journal has no acknowledged results');
  return { acks: acked.size, unacked: [...returned].filter((id) => !acked.has(id)).length };
}

/**
 * With every workflow ended, no message is left in any queue (task queues and the decide queue): state and queue
 * did not drift apart.
 */
async function checkQueuesDrained(
  queue: { sizes(): Promise<Record<string, number>>; nextVisibleAt(): Promise<number | null> },
  problems: string[],
): Promise<void> {
  const sizes = await queue.sizes();
  const next = await queue.nextVisibleAt();
  if (Object.keys(sizes).length > 0 || next !== null) {
    problems.push(`queues not drained: waiting ${JSON.stringify(sizes)}, next visible at ${next}`);
  }
}

/**
 * The tasks a workflow that did not complete is still waiting for, for the report; a SUB_WORKFLOW task with the
 * status of its child.
 */
function describePending(workflow: Workflow, byId: ReadonlyMap<string, Workflow>): string {
  const pending = workflow.tasks.filter((t) => !['COMPLETED', 'SKIPPED'].includes(t.status) && !t.retried);
  const line = (t: Task) => {
    const child = t.subWorkflowId ? ` (child ${byId.get(t.subWorkflowId)?.status ?? 'missing'})` : '';
    return `${t.referenceTaskName}:${t.taskType}:${t.status}:r${t.retryCount}${child}`;
  };
  return `[${pending.map(line).join(', ')}]`;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
