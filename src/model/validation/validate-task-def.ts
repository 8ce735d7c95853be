import type { TaskDef } from '../task-def.js';
import {
  checkOptionalEnum,
  checkOptionalMap,
  checkOptionalNumber,
  checkOptionalString,
  checkOptionalStringArray,
  checkRequiredString,
  childPath,
  type IssueCollector,
  isMap,
  runValidation,
} from './issues.js';

const RETRY_LOGICS = ['FIXED', 'EXPONENTIAL_BACKOFF', 'LINEAR_BACKOFF'];
const TASK_TIMEOUT_POLICIES = ['RETRY', 'TIME_OUT_WF', 'ALERT_ONLY'];

// Every numeric TaskDef field is an int, long or Integer in Conductor; the bounds are its @Min constraints
// (responseTimeoutSeconds >= 1, backoffScaleFactor >= 1), and >= 0 where Conductor has none, since a negative
// count or delay has no meaning. totalTimeoutSeconds and backoffJitterMs are newer Conductor fields that
// Baton's TaskDef type does not name; they are checked so a def exported from a recent server is judged alike.
const INTEGER_FIELD_MINIMUMS: Readonly<Record<string, number>> = {
  retryCount: 0,
  retryDelaySeconds: 0,
  timeoutSeconds: 0,
  responseTimeoutSeconds: 1,
  pollTimeoutSeconds: 0,
  backoffScaleFactor: 1,
  maxRetryDelaySeconds: 0,
  concurrentExecLimit: 0,
  rateLimitPerFrequency: 0,
  rateLimitFrequencyInSeconds: 0,
  totalTimeoutSeconds: 0,
  backoffJitterMs: 0,
};

const STRING_FIELDS = ['description', 'ownerEmail', 'isolationGroupId', 'executionNameSpace', 'createdBy'];

export interface TaskDefRules {
  /**
   * A TaskDef embedded in a WorkflowTask: it takes its name from the task, and Conductor checks no constraint
   * on it (its own fixtures embed `responseTimeoutSeconds: 3600` with `timeoutSeconds: 120`), so only the
   * JSON types and bounds are checked. @default false
   */
  embedded?: boolean;
}

/**
 * Checks one TaskDef. With `issues`, problems are recorded there under `path` and nothing is thrown (the
 * caller throws once); without, a ValidationError lists them. `ownerEmail` is never required.
 */
export function validateTaskDef(def: unknown, path = '', issues?: IssueCollector): TaskDef {
  if (issues) {
    collectTaskDefIssues(def, path, issues);
    return def as TaskDef;
  }
  return runValidation('task definition', (collector) => validateTaskDef(def, path, collector));
}

/**
 * Checks the argument of `registerTaskDefs`: an array of TaskDefs with distinct names. All or nothing: one
 * bad element rejects the whole call. Paths start with the element's index (`[1].retryCount`).
 */
export function validateTaskDefs(defs: unknown): TaskDef[] {
  return runValidation('task definitions', (issues) => {
    if (!Array.isArray(defs)) {
      issues.add('', 'must be an array of task definitions');
      return [];
    }
    for (const [i, def] of defs.entries()) collectTaskDefIssues(def, childPath('', i), issues);
    reportDuplicateNames(defs, issues);
    return defs as TaskDef[];
  });
}

export function collectTaskDefIssues(
  def: unknown,
  path: string,
  issues: IssueCollector,
  { embedded = false }: TaskDefRules = {},
): void {
  if (!isMap(def)) {
    issues.add(path, 'must be an object');
    return;
  }
  const at = (key: string) => childPath(path, key);
  if (embedded) checkOptionalString(issues, at('name'), def.name);
  else checkRequiredString(issues, at('name'), def.name);
  for (const key of STRING_FIELDS) checkOptionalString(issues, at(key), def[key]);
  for (const [key, min] of Object.entries(INTEGER_FIELD_MINIMUMS)) {
    checkOptionalNumber(issues, at(key), def[key], { integer: true, min });
  }
  checkOptionalEnum(issues, at('retryLogic'), def.retryLogic, RETRY_LOGICS);
  checkOptionalEnum(issues, at('timeoutPolicy'), def.timeoutPolicy, TASK_TIMEOUT_POLICIES);
  checkOptionalMap(issues, at('inputTemplate'), def.inputTemplate);
  checkOptionalStringArray(issues, at('inputKeys'), def.inputKeys);
  checkOptionalStringArray(issues, at('outputKeys'), def.outputKeys);
  if (!embedded) checkTimeoutOrder(def, path, issues);
}

/**
 * Conductor's TaskTimeoutConstraint: with a task timeout set, the response timeout may not exceed it, and the
 * timeout may not exceed totalTimeoutSeconds. Compared only when both values are given: Baton's default
 * response timeout (300 s) is its own choice, so a def that sets only `timeoutSeconds: 60` is not rejected
 * for a value its author never wrote.
 */
function checkTimeoutOrder(def: Record<string, unknown>, path: string, issues: IssueCollector): void {
  const { timeoutSeconds, responseTimeoutSeconds, totalTimeoutSeconds } = def;
  if (!isPositiveNumber(timeoutSeconds)) return;
  if (typeof responseTimeoutSeconds === 'number' && responseTimeoutSeconds > timeoutSeconds) {
    issues.add(
      childPath(path, 'responseTimeoutSeconds'),
      `must be <= timeoutSeconds (${timeoutSeconds}) when timeoutSeconds is set`,
    );
  }
  if (isPositiveNumber(totalTimeoutSeconds) && timeoutSeconds > totalTimeoutSeconds) {
    issues.add(childPath(path, 'timeoutSeconds'), `must be <= totalTimeoutSeconds (${totalTimeoutSeconds})`);
  }
}

function isPositiveNumber(value: unknown): value is number {
  return typeof value === 'number' && value > 0;
}

/** A name registered twice in one call is reported at its later occurrence. */
function reportDuplicateNames(defs: unknown[], issues: IssueCollector): void {
  const firstIndexByName = new Map<string, number>();
  defs.forEach((def, i) => {
    if (!isMap(def) || typeof def.name !== 'string' || def.name === '') return;
    const first = firstIndexByName.get(def.name);
    if (first === undefined) firstIndexByName.set(def.name, i);
    else
      issues.add(
        childPath(childPath('', i), 'name'),
        `duplicate task definition name "${def.name}" (also at [${first}])`,
      );
  });
}
