import type {
  RerunWorkflowRequest,
  RestartWorkflowOptions,
  RetryWorkflowOptions,
  SkipTaskRequest,
  TerminateWorkflowOptions,
} from '../../model/workflow-operations.js';
import type { OperationDeps } from './operation-deps.js';
import { pauseWorkflow, resumeWorkflow } from './pause-resume.js';
import { removeWorkflow } from './remove.js';
import { rerunWorkflow } from './rerun.js';
import { restartWorkflow } from './restart.js';
import { retryWorkflow } from './retry.js';
import { skipTask } from './skip-task.js';
import { terminateWorkflow } from './terminate.js';

/**
 * The workflow operations of the Engine API (Conductor's `WorkflowExecutorOps`): each one a unit of work on the
 * workflow through the executor. One file per operation in this folder.
 */
export class WorkflowOperations {
  readonly #deps: OperationDeps;

  constructor(deps: OperationDeps) {
    this.#deps = deps;
  }

  pause(workflowId: string): Promise<void> {
    return pauseWorkflow(this.#deps, workflowId);
  }

  resume(workflowId: string): Promise<void> {
    return resumeWorkflow(this.#deps, workflowId);
  }

  terminate(workflowId: string, reason: string | null, options: TerminateWorkflowOptions): Promise<void> {
    return terminateWorkflow(this.#deps, workflowId, reason, options);
  }

  restart(workflowId: string, options: RestartWorkflowOptions): Promise<void> {
    return restartWorkflow(this.#deps, workflowId, options);
  }

  retry(workflowId: string, options: RetryWorkflowOptions): Promise<void> {
    return retryWorkflow(this.#deps, workflowId, options);
  }

  rerun(workflowId: string, request: RerunWorkflowRequest | undefined): Promise<string> {
    return rerunWorkflow(this.#deps, workflowId, request);
  }

  skipTask(
    workflowId: string,
    taskReferenceName: string,
    request: SkipTaskRequest | undefined,
  ): Promise<void> {
    return skipTask(this.#deps, workflowId, taskReferenceName, request);
  }

  remove(workflowId: string): Promise<void> {
    return removeWorkflow(this.#deps, workflowId);
  }
}
