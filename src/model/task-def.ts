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
  // Defaults first, then every field the def sets: V8 builds this an order of magnitude faster than a spread
  // followed by new keys, and it runs for every dynamically forked task.
  const resolved: Record<string, unknown> = {
    name: def.name,
    retryCount: 3,
    retryLogic: 'FIXED',
    retryDelaySeconds: 60,
    backoffScaleFactor: 1,
    maxRetryDelaySeconds: 0,
    timeoutSeconds: 0,
    timeoutPolicy: 'TIME_OUT_WF',
    responseTimeoutSeconds: DEFAULT_RESPONSE_TIMEOUT_SECONDS,
    pollTimeoutSeconds: null,
    inputTemplate: {},
  };
  for (const key of Object.keys(def)) {
    const value = (def as unknown as Record<string, unknown>)[key];
    if (value !== undefined && (value !== null || !(key in resolved))) resolved[key] = value;
  }
  return resolved as unknown as ResolvedTaskDef;
}
