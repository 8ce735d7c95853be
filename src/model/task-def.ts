/** How the delay between retries grows (Conductor's `TaskDef.RetryLogic`). */
export type RetryLogic = 'FIXED' | 'EXPONENTIAL_BACKOFF' | 'LINEAR_BACKOFF';

/** What happens when a task runs past `timeoutSeconds` (Conductor's `TaskDef.TimeoutPolicy`). */
export type TaskTimeoutPolicy = 'RETRY' | 'TIME_OUT_WF' | 'ALERT_ONLY';

/**
 * A task definition: Conductor's `TaskDef`, field for field.
 *
 * Every field but `name` is optional; {@link withTaskDefDefaults} fills Conductor's defaults, with one deliberate
 * difference: `responseTimeoutSeconds` defaults to 300 s (Conductor: 3600 s), so a dead worker does not stall a
 * workflow for an hour.
 */
export interface TaskDef {
  name: string;
  description?: string | null;
  /** @default 3 */
  retryCount?: number;
  /** @default 'FIXED' */
  retryLogic?: RetryLogic;
  /** @default 60 */
  retryDelaySeconds?: number;
  /** Multiplier for LINEAR_BACKOFF. @default 1 */
  backoffScaleFactor?: number;
  /** Upper bound for a computed retry delay; 0 = no cap. @default 0 */
  maxRetryDelaySeconds?: number;
  /** Time allowed from the first poll to completion; 0 = none. @default 0 */
  timeoutSeconds?: number;
  /** @default 'TIME_OUT_WF' */
  timeoutPolicy?: TaskTimeoutPolicy;
  /** Time a polled task may go without an update from its worker. @default 300 */
  responseTimeoutSeconds?: number;
  /** Time a scheduled task may wait to be polled; null = forever. @default null */
  pollTimeoutSeconds?: number | null;
  /** Tasks of this type allowed IN_PROGRESS at once; null or 0 = no limit. */
  concurrentExecLimit?: number | null;
  rateLimitPerFrequency?: number | null;
  rateLimitFrequencyInSeconds?: number | null;
  /** Default input values, merged under the resolved input. @default {} */
  inputTemplate?: Record<string, unknown>;
  inputKeys?: string[];
  outputKeys?: string[];
  ownerEmail?: string | null;
  isolationGroupId?: string | null;
  executionNameSpace?: string | null;
  createTime?: number | null;
  updateTime?: number | null;
  createdBy?: string | null;
  updatedBy?: string | null;
}

/** A TaskDef with every field that has a default filled in. */
export type ResolvedTaskDef = TaskDef &
  Required<
    Pick<
      TaskDef,
      | 'retryCount'
      | 'retryLogic'
      | 'retryDelaySeconds'
      | 'backoffScaleFactor'
      | 'maxRetryDelaySeconds'
      | 'timeoutSeconds'
      | 'timeoutPolicy'
      | 'responseTimeoutSeconds'
      | 'inputTemplate'
    >
  >;

/** Baton's default response timeout (Conductor: 3600 s). */
export const DEFAULT_RESPONSE_TIMEOUT_SECONDS = 300;

/** Returns a copy of `def` with Conductor's defaults applied to every missing field. */
export function withTaskDefDefaults(def: TaskDef): ResolvedTaskDef {
  return {
    ...def,
    retryCount: def.retryCount ?? 3,
    retryLogic: def.retryLogic ?? 'FIXED',
    retryDelaySeconds: def.retryDelaySeconds ?? 60,
    backoffScaleFactor: def.backoffScaleFactor ?? 1,
    maxRetryDelaySeconds: def.maxRetryDelaySeconds ?? 0,
    timeoutSeconds: def.timeoutSeconds ?? 0,
    timeoutPolicy: def.timeoutPolicy ?? 'TIME_OUT_WF',
    responseTimeoutSeconds: def.responseTimeoutSeconds ?? DEFAULT_RESPONSE_TIMEOUT_SECONDS,
    pollTimeoutSeconds: def.pollTimeoutSeconds ?? null,
    inputTemplate: def.inputTemplate ?? {},
  };
}
