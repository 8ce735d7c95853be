export type { Clock, TimerHandle } from './clock/clock.js';
export { SystemClock } from './clock/system-clock.js';
export type { Decision, WorkflowOutcome } from './decider/decision.js';
export { Engine } from './engine.js';
export type { EngineOptions, Logger, SandboxOptions } from './engine-options.js';
export {
  BatonError,
  ConflictError,
  type ErrorCode,
  IdempotencyConflictError,
  NotFoundError,
  TerminalError,
  ValidationError,
  type ValidationIssue,
  VersionConflictError,
} from './errors.js';
export type { EngineEventName, EngineEvents } from './events.js';
export type {
  EventHandler,
  EventHandlerAction,
  EventHandlerActionType,
  EventStartWorkflow,
  EventTaskDetails,
} from './model/event-handler.js';
export {
  compareForSearch,
  matchesSearch,
  type WorkflowSearchCriteria,
  type WorkflowSearchQuery,
  type WorkflowSearchResult,
  type WorkflowSearchSort,
  type WorkflowSummary,
  workflowSummary,
} from './model/search.js';
export type { StartWorkflowRequest } from './model/start-request.js';
export {
  isTerminalTask,
  isTerminalWorkflow,
  type TaskResultStatus,
  type TaskStatus,
  type WorkflowStatus,
} from './model/status.js';
export type { Task } from './model/task.js';
export {
  DEFAULT_RESPONSE_TIMEOUT_SECONDS,
  type ResolvedTaskDef,
  type RetryLogic,
  type TaskDef,
  type TaskTimeoutPolicy,
  withTaskDefDefaults,
} from './model/task-def.js';
export type { TaskExecLog, TaskResult } from './model/task-result.js';
export type { Workflow, WorkflowRecord } from './model/workflow.js';
export type {
  IdempotencyStrategy,
  SubWorkflowParams,
  SystemTaskType,
  WorkflowDef,
  WorkflowTask,
  WorkflowTimeoutPolicy,
} from './model/workflow-def.js';
export type {
  RerunWorkflowRequest,
  RestartWorkflowOptions,
  RetryWorkflowOptions,
  SkipTaskRequest,
  TerminateWorkflowOptions,
} from './model/workflow-operations.js';
export { MemoryQueue } from './queue/memory-queue.js';
export type { Lease, Queue, QueueOp, QueuePush } from './queue/queue.js';
export { MemoryStore } from './store/memory-store.js';
export type { IdempotencyClaim, Store, StoredWorkflow, WorkflowCommit } from './store/store.js';
export type {
  WorkerContext,
  WorkerHandler,
  WorkerOptions,
  WorkerRegistration,
  WorkerResult,
  WorkerReturn,
} from './workers/worker.js';
