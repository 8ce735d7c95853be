/** What an expression can see. Documents are built lazily by the caller. */
export interface ExpressionScope {
  /**
   * `${workflow.x}` root: {input, output, status, workflowId, parentWorkflowId, parentWorkflowTaskId,
   * workflowType, version, correlationId, reasonForIncompletion, schemaVersion, variables}
   */
  workflow(): Record<string, unknown>;
  /**
   * `${ref.x}` root: the task document for a reference name ({input, output, taskType, status,
   * referenceTaskName, retryCount, ...}), or undefined if no such task.
   */
  task(ref: string): Record<string, unknown> | undefined;
  /** Id of the task being created, for ${CPEWF_TASK_ID}; when null/undefined the literal is left as is. */
  taskId?: string | null;
  /** Value of an allowed environment variable, or undefined when `name` is not allowed/not set. */
  env?(name: string): string | undefined;
}
