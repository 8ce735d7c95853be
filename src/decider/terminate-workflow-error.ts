/**
 * Thrown by a task type's `schedule` when the step cannot be scheduled at all and the workflow must end
 * (Conductor's `TerminateWorkflowException` thrown by a mapper: a dynamic fork with invalid input, a fork not
 * followed by a JOIN). The decider drops whatever that step had created and fails the workflow with `message`
 * as its reason.
 */
export class TerminateWorkflowError extends Error {
  override readonly name = 'TerminateWorkflowError';
}
