import type { TaskDef } from './task-def.js';

/** Built-in task types. Any other `type` string is a worker task named by `name` (Conductor's USER_DEFINED). */
export type SystemTaskType =
  | 'SIMPLE'
  | 'DYNAMIC'
  | 'FORK_JOIN'
  | 'FORK_JOIN_DYNAMIC'
  | 'DECISION'
  | 'SWITCH'
  | 'JOIN'
  | 'DO_WHILE'
  | 'SUB_WORKFLOW'
  | 'START_WORKFLOW'
  | 'EVENT'
  | 'WAIT'
  | 'HUMAN'
  | 'USER_DEFINED'
  | 'HTTP'
  | 'LAMBDA'
  | 'INLINE'
  | 'EXCLUSIVE_JOIN'
  | 'TERMINATE'
  | 'KAFKA_PUBLISH'
  | 'JSON_JQ_TRANSFORM'
  | 'SET_VARIABLE'
  | 'NOOP';

/** Parameters of a SUB_WORKFLOW task (Conductor's `SubWorkflowParams`). */
export interface SubWorkflowParams {
  name?: string;
  version?: number | string | null;
  taskToDomain?: Record<string, string> | null;
  /** An inline definition, or a `${...}` expression that resolves to one. */
  workflowDefinition?: WorkflowDef | string | null;
  priority?: number | string | null;
  idempotencyKey?: string | null;
  idempotencyStrategy?: IdempotencyStrategy | null;
}

/** What a second start with the same idempotency key does. */
export type IdempotencyStrategy = 'FAIL' | 'RETURN_EXISTING' | 'FAIL_ON_RUNNING';

/** One step of a workflow definition: Conductor's `WorkflowTask`, field for field. */
export interface WorkflowTask {
  name: string;
  taskReferenceName: string;
  /** @default 'SIMPLE' */
  type?: SystemTaskType | (string & {});
  description?: string | null;
  inputParameters?: Record<string, unknown>;
  /** A failure after the last retry ends the task COMPLETED_WITH_ERRORS and the workflow goes on. */
  optional?: boolean;
  /** A failure after the last retry leaves the task FAILED, the workflow goes on and fails at its end. */
  permissive?: boolean;
  /** Seconds to wait before the task becomes visible to workers. */
  startDelay?: number;
  asyncComplete?: boolean;
  /** Overrides the TaskDef's retryCount when set. */
  retryCount?: number | null;
  /** An embedded TaskDef; wins over the registered one. */
  taskDefinition?: TaskDef | null;
  // SWITCH / DECISION
  caseValueParam?: string | null;
  caseExpression?: string | null;
  evaluatorType?: string | null;
  expression?: string | null;
  decisionCases?: Record<string, WorkflowTask[]>;
  defaultCase?: WorkflowTask[];
  // FORK_JOIN / JOIN
  forkTasks?: WorkflowTask[][];
  joinOn?: string[];
  joinMode?: 'SYNC' | 'ASYNC' | null;
  defaultExclusiveJoinTask?: string[];
  // DYNAMIC / FORK_JOIN_DYNAMIC
  dynamicTaskNameParam?: string | null;
  dynamicForkTasksParam?: string | null;
  dynamicForkTasksInputParamName?: string | null;
  dynamicForkJoinTasksParam?: string | null;
  // SUB_WORKFLOW
  subWorkflowParam?: SubWorkflowParams | null;
  // EVENT
  sink?: string | null;
  // DO_WHILE
  loopCondition?: string | null;
  loopOver?: WorkflowTask[];
  /** DO_WHILE over a list (newer Conductor): one iteration per item; usually a `${...}` expression. */
  items?: string | unknown[] | null;
  // TERMINATE and other bookkeeping fields kept for round-tripping Conductor JSON
  scriptExpression?: string | null;
  rateLimited?: boolean | null;
  onStateChange?: Record<string, unknown> | null;
  metadata?: Record<string, unknown> | null;
  cacheConfig?: Record<string, unknown> | null;
}

/** What happens when a workflow runs past `timeoutSeconds`. */
export type WorkflowTimeoutPolicy = 'TIME_OUT_WF' | 'ALERT_ONLY';

/** A workflow definition: Conductor's `WorkflowDef`, field for field. */
export interface WorkflowDef {
  name: string;
  description?: string | null;
  /** @default 1 */
  version?: number;
  tasks: WorkflowTask[];
  /** Names of the inputs, for documentation only. */
  inputParameters?: string[];
  /** Expressions resolved into the workflow's output when it completes; empty = the last task's output. */
  outputParameters?: Record<string, unknown>;
  failureWorkflow?: string | null;
  failureWorkflowVersion?: number | null;
  /** @default 2 */
  schemaVersion?: number;
  /** @default true */
  restartable?: boolean;
  workflowStatusListenerEnabled?: boolean;
  ownerEmail?: string | null;
  /** @default 'ALERT_ONLY' */
  timeoutPolicy?: WorkflowTimeoutPolicy;
  /** 0 = no timeout. @default 0 */
  timeoutSeconds?: number;
  variables?: Record<string, unknown>;
  inputTemplate?: Record<string, unknown>;
  createTime?: number | null;
  updateTime?: number | null;
  createdBy?: string | null;
  updatedBy?: string | null;
  ownerApp?: string | null;
}
