import type { WorkflowOutcome } from '../decider/decision.js';
import { BatonError } from '../errors.js';
import type { Store } from '../store/store.js';
import { nameUuid } from '../tasks/child-id.js';
import type { ChildWorkflowRequest } from '../tasks/task-type.js';
import { publicWorkflow } from './public-copies.js';
import type { WorkingState } from './working-state.js';

/** Where the failed workflow's output names its failure workflow (or why it could not start). */
export const FAILURE_WORKFLOW_OUTPUT_KEY = 'conductor.failure_workflow';

/** A failure workflow to start once the failed workflow's end is committed. */
export interface PlannedFailureWorkflow {
  /** The failed workflow. */
  readonly failedWorkflowId: string;
  /** The start request, with the failure workflow's id fixed in advance. */
  readonly request: ChildWorkflowRequest & { readonly workflowId: string };
}

/** What starting a failure workflow needs from the executor. */
export interface FailureWorkflowDeps {
  readonly store: Store;
  startWorkflow(request: ChildWorkflowRequest): Promise<string>;
}

const MAX_RECORD_ATTEMPTS = 5;

/**
 * Conductor's failure workflow (`WorkflowExecutorOps.terminate` → `terminateWorkflow`): when a workflow ends
 * FAILED, TIMED_OUT or TERMINATED and its definition names a `failureWorkflow` (a name, or `$workflow.input.x` /
 * `${workflow.input.x}` to read it from the input), that workflow is started with input
 * `{ ...input, workflowId, reason, failureStatus, failureTaskId?, failedWorkflow }`, the same correlationId and
 * taskToDomain. Called at the end of the unit of work that ends the workflow (its tasks already canceled): it
 * records the failure workflow's id at `output['conductor.failure_workflow']` in that same commit and plans the
 * start for after it. The id is derived from the failed workflow and the version it ended at, so redoing the
 * start finds the workflow made the first time.
 */
export function planFailureWorkflow(state: WorkingState, outcome: WorkflowOutcome): void {
  if (outcome.status === 'COMPLETED') return;
  const failed = state.workflow;
  const name = failureWorkflowName(failed.workflowDefinition.failureWorkflow, failed.input);
  if (name === null) return;
  const workflowId = nameUuid(`failureworkflow:${failed.workflowId}:${state.version}`);
  const input: Record<string, unknown> = {
    ...failed.input,
    workflowId: failed.workflowId,
    reason: failed.reasonForIncompletion,
    failureStatus: failed.status,
  };
  if (failed.failedTaskId !== null) input.failureTaskId = failed.failedTaskId;
  // The failed workflow as it ended, with its tasks (its output does not name the failure workflow yet).
  input.failedWorkflow = publicWorkflow(failed, state.tasks);
  const version = failed.workflowDefinition.failureWorkflowVersion;
  state.failureWorkflow = {
    failedWorkflowId: failed.workflowId,
    request: {
      name,
      version: typeof version === 'number' && version > 0 ? version : null,
      input,
      correlationId: failed.correlationId,
      taskToDomain: failed.taskToDomain,
      workflowId,
    },
  };
  state.setWorkflow({ output: { ...failed.output, [FAILURE_WORKFLOW_OUTPUT_KEY]: workflowId } });
}

/**
 * Starts a planned failure workflow. When the start fails (unknown name, invalid input), the failed workflow's
 * `output['conductor.failure_workflow']` says why instead, as in Conductor. Never throws: the failed workflow's
 * end is committed already.
 */
export async function startFailureWorkflow(
  planned: PlannedFailureWorkflow,
  deps: FailureWorkflowDeps,
): Promise<void> {
  try {
    await deps.startWorkflow(planned.request);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const message = `Error workflow ${planned.request.name} failed to start.  reason: ${reason}`;
    await recordStartFailure(deps.store, planned, message).catch(() => {});
  }
}

/** Replaces the failure workflow's id in the failed workflow's output with `message`. */
async function recordStartFailure(store: Store, planned: PlannedFailureWorkflow, message: string) {
  for (let attempt = 1; attempt <= MAX_RECORD_ATTEMPTS; attempt++) {
    const stored = await store.getWorkflow(planned.failedWorkflowId, { includeTasks: false });
    // Gone, or moved on (retried, restarted) since: nothing to correct.
    if (stored?.workflow.output[FAILURE_WORKFLOW_OUTPUT_KEY] !== planned.request.workflowId) return;
    const workflow = stored.workflow;
    try {
      await store.commit({
        workflow: { ...workflow, output: { ...workflow.output, [FAILURE_WORKFLOW_OUTPUT_KEY]: message } },
        expectedVersion: stored.version,
        tasks: [],
        queue: [],
      });
      return;
    } catch (error) {
      if (!BatonError.is(error, 'VERSION_CONFLICT')) throw error;
    }
  }
}

/** The failure workflow's name: the definition's `failureWorkflow`, or the input it points to; null for none. */
export function failureWorkflowName(
  failureWorkflow: string | null | undefined,
  input: Record<string, unknown>,
): string | null {
  const value = failureWorkflow?.trim();
  if (!value) return null;
  if (!value.startsWith('$')) return value;
  const match = /^\$\{?workflow\.input\.([^.}]+)\}?$/.exec(value);
  const named = match ? input[match[1]] : null;
  return typeof named === 'string' && named.trim() !== '' ? named : null;
}
