import { findExpressionSyntaxError } from '../../expressions/syntax.js';
import { parseWaitDuration, parseWaitUntil } from '../duration.js';
import type { TaskDef } from '../task-def.js';
import type { WorkflowDef } from '../workflow-def.js';
import {
  checkOptionalBoolean,
  checkOptionalEnum,
  checkOptionalMap,
  checkOptionalNumber,
  checkOptionalString,
  checkOptionalStringArray,
  checkOptionalStringMap,
  checkRequiredString,
  childPath,
  type IssueCollector,
  isAbsent,
  isMap,
  type NumberRule,
  runValidation,
} from './issues.js';
import { collectTaskDefIssues } from './validate-task-def.js';

export interface WorkflowDefValidationOptions {
  /**
   * Looks up a registered TaskDef by name. Conductor accepts an HTTP, KAFKA_PUBLISH or JSON_JQ_TRANSFORM task
   * whose required input comes from its TaskDef's `inputTemplate`; without this lookup only the task's own
   * `inputParameters` and embedded `taskDefinition` count.
   */
  getTaskDef?: (name: string) => TaskDef | null | undefined;
}

/**
 * Checks a WorkflowDef as Conductor does at registration, plus Baton's own rules (a FORK_JOIN must be
 * followed by a JOIN, `inputParameters` must be a map, `${...}` expressions must be closed). Throws one
 * ValidationError listing every issue, with paths such as `tasks[1].forkTasks[1][0].taskReferenceName`.
 */
export function validateWorkflowDef(def: unknown, options: WorkflowDefValidationOptions = {}): WorkflowDef {
  return runValidation('workflow definition', (issues) => {
    collectWorkflowDefIssues(def, '', issues, options);
    return def as WorkflowDef;
  });
}

/** Records the issues of `def` under `path` (for a definition nested in another input) without throwing. */
export function collectWorkflowDefIssues(
  def: unknown,
  path: string,
  issues: IssueCollector,
  options: WorkflowDefValidationOptions = {},
): void {
  new WorkflowDefChecker(issues, options).checkDef(def, path);
}

const WORKFLOW_TIMEOUT_POLICIES = ['TIME_OUT_WF', 'ALERT_ONLY'];
const WORKFLOW_STRING_FIELDS = ['description', 'failureWorkflow', 'ownerEmail', 'createdBy', 'ownerApp'];
const WORKFLOW_BOOLEAN_FIELDS = ['restartable', 'workflowStatusListenerEnabled'];

const TASK_STRING_FIELDS = [
  'description',
  'caseValueParam',
  'caseExpression',
  'evaluatorType',
  'expression',
  'dynamicTaskNameParam',
  'dynamicForkTasksParam',
  'dynamicForkTasksInputParamName',
  'dynamicForkJoinTasksParam',
  'sink',
  'loopCondition',
  'items',
  'scriptExpression',
];
const TASK_BOOLEAN_FIELDS = ['optional', 'permissive', 'asyncComplete', 'rateLimited'];
const TASK_MAP_FIELDS = ['onStateChange', 'metadata', 'cacheConfig'];

/** Reference names seen so far in one definition: ref → path of its first occurrence. */
type RefScope = Map<string, string>;

/**
 * Walks one definition depth-first in definition order (a task, then its branches), so a duplicate
 * reference name is reported at its later occurrence, as Conductor's `collectTasks` order finds it.
 */
class WorkflowDefChecker {
  // Objects on the current walk path: a definition that contains itself is reported, not followed forever.
  private readonly ancestors = new Set<object>();

  constructor(
    private readonly issues: IssueCollector,
    private readonly options: WorkflowDefValidationOptions,
  ) {}

  checkDef(def: unknown, path: string): void {
    if (!isMap(def)) {
      this.issues.add(path, 'must be an object');
      return;
    }
    this.within(def, path, () => {
      this.checkDefFields(def, path);
      this.checkTopLevelTasks(def.tasks, childPath(path, 'tasks'));
    });
  }

  private checkDefFields(def: Record<string, unknown>, path: string): void {
    const at = (key: string) => childPath(path, key);
    checkRequiredString(this.issues, at('name'), def.name);
    for (const key of WORKFLOW_STRING_FIELDS) checkOptionalString(this.issues, at(key), def[key]);
    for (const key of WORKFLOW_BOOLEAN_FIELDS) checkOptionalBoolean(this.issues, at(key), def[key]);
    checkOptionalNumber(this.issues, at('version'), def.version, { integer: true, min: 1 });
    checkOptionalNumber(this.issues, at('failureWorkflowVersion'), def.failureWorkflowVersion, {
      integer: true,
      min: 1,
    });
    // Conductor supports only schema version 2 (@Min(2) @Max(2)).
    checkOptionalNumber(this.issues, at('schemaVersion'), def.schemaVersion, {
      integer: true,
      min: 2,
      max: 2,
    });
    checkOptionalNumber(this.issues, at('timeoutSeconds'), def.timeoutSeconds, { integer: true, min: 0 });
    checkOptionalEnum(this.issues, at('timeoutPolicy'), def.timeoutPolicy, WORKFLOW_TIMEOUT_POLICIES);
    checkOptionalStringArray(this.issues, at('inputParameters'), def.inputParameters);
    checkOptionalMap(this.issues, at('variables'), def.variables);
    checkOptionalMap(this.issues, at('inputTemplate'), def.inputTemplate);
    if (checkOptionalMap(this.issues, at('outputParameters'), def.outputParameters)) {
      this.checkExpressions(def.outputParameters, at('outputParameters'));
    }
  }

  private checkTopLevelTasks(tasks: unknown, path: string): void {
    if (isAbsent(tasks)) this.issues.add(path, 'is required');
    else if (!Array.isArray(tasks)) this.issues.add(path, 'must be an array of tasks');
    else if (tasks.length === 0) this.issues.add(path, 'must not be empty');
    else this.checkTaskList(tasks, path, new Map());
  }

  /** One sequence of tasks: the top level, a branch, a case or a loop body. */
  checkTaskList(tasks: unknown[], path: string, refs: RefScope): void {
    this.within(tasks, path, () => {
      for (const [i, task] of tasks.entries()) this.checkTask(task, childPath(path, i), tasks[i + 1], refs);
    });
  }

  private checkTask(task: unknown, path: string, next: unknown, refs: RefScope): void {
    if (!isMap(task)) {
      this.issues.add(path, 'must be an object');
      return;
    }
    this.within(task, path, () => {
      this.checkTaskFields(task, path);
      this.checkUniqueRef(task.taskReferenceName, path, refs);
      const type = typeof task.type === 'string' ? task.type : 'SIMPLE';
      TASK_TYPE_RULES.get(type)?.({ task, type, path, next, issues: this.issues, checker: this });
      this.checkBranches(task, type, path, refs);
    });
  }

  private checkTaskFields(task: Record<string, unknown>, path: string): void {
    const at = (key: string) => childPath(path, key);
    checkRequiredString(this.issues, at('name'), task.name);
    checkRequiredString(this.issues, at('taskReferenceName'), task.taskReferenceName);
    checkOptionalString(this.issues, at('type'), task.type);
    for (const key of TASK_STRING_FIELDS) checkOptionalString(this.issues, at(key), task[key]);
    for (const key of TASK_BOOLEAN_FIELDS) checkOptionalBoolean(this.issues, at(key), task[key]);
    for (const key of TASK_MAP_FIELDS) checkOptionalMap(this.issues, at(key), task[key]);
    checkOptionalNumber(this.issues, at('startDelay'), task.startDelay, { integer: true, min: 0 });
    checkOptionalNumber(this.issues, at('retryCount'), task.retryCount, { integer: true, min: 0 });
    checkOptionalEnum(this.issues, at('joinMode'), task.joinMode, ['SYNC', 'ASYNC']);
    checkOptionalStringArray(this.issues, at('joinOn'), task.joinOn);
    checkOptionalStringArray(this.issues, at('defaultExclusiveJoinTask'), task.defaultExclusiveJoinTask);
    if (checkOptionalMap(this.issues, at('inputParameters'), task.inputParameters)) {
      this.checkExpressions(task.inputParameters, at('inputParameters'));
    }
    if (!isAbsent(task.taskDefinition)) {
      collectTaskDefIssues(task.taskDefinition, at('taskDefinition'), this.issues, { embedded: true });
    }
  }

  /** Descends into the nested task lists of the container types, in Conductor's `children()` order. */
  private checkBranches(task: Record<string, unknown>, type: string, path: string, refs: RefScope): void {
    const at = (key: string) => childPath(path, key);
    if (type === 'DECISION' || type === 'SWITCH') {
      if (isMap(task.decisionCases)) {
        for (const [caseValue, branch] of Object.entries(task.decisionCases)) {
          this.checkBranch(branch, childPath(at('decisionCases'), caseValue), refs, true);
        }
      }
      if (!isAbsent(task.defaultCase)) this.checkBranch(task.defaultCase, at('defaultCase'), refs, true);
    } else if (type === 'FORK_JOIN' && Array.isArray(task.forkTasks)) {
      for (const [i, branch] of task.forkTasks.entries()) {
        this.checkBranch(branch, childPath(at('forkTasks'), i), refs, false);
      }
    } else if (type === 'DO_WHILE' && Array.isArray(task.loopOver)) {
      this.checkTaskList(task.loopOver, at('loopOver'), refs);
    }
  }

  // An empty SWITCH case is meaningful (it runs nothing); an empty fork branch is not.
  private checkBranch(branch: unknown, path: string, refs: RefScope, allowEmpty: boolean): void {
    if (!Array.isArray(branch)) this.issues.add(path, 'must be an array of tasks');
    else if (!allowEmpty && branch.length === 0) this.issues.add(path, 'must not be empty');
    else this.checkTaskList(branch, path, refs);
  }

  private checkUniqueRef(ref: unknown, path: string, refs: RefScope): void {
    if (typeof ref !== 'string' || ref === '') return;
    const first = refs.get(ref);
    const refPath = childPath(path, 'taskReferenceName');
    if (first === undefined) refs.set(ref, refPath);
    else this.issues.add(refPath, `duplicate taskReferenceName "${ref}" (first at ${first})`);
  }

  /** Every string inside a parameter map must have closed `${...}` expressions. */
  checkExpressions(value: unknown, path: string): void {
    if (typeof value === 'string') {
      const error = findExpressionSyntaxError(value);
      if (error !== null) this.issues.add(path, `invalid expression: ${error}`);
    } else if (Array.isArray(value)) {
      this.within(value, path, () => {
        for (const [i, element] of value.entries()) this.checkExpressions(element, childPath(path, i));
      });
    } else if (isMap(value)) {
      this.within(value, path, () => {
        for (const [key, element] of Object.entries(value)) {
          this.checkExpressions(element, childPath(path, key));
        }
      });
    }
  }

  /** Looks up a registered TaskDef through the caller's option, if any. */
  registeredTaskDef(name: unknown): TaskDef | null {
    if (typeof name !== 'string' || !this.options.getTaskDef) return null;
    return this.options.getTaskDef(name) ?? null;
  }

  /** Runs `visit` with `node` marked as an ancestor; a node already on the path is a cycle. */
  private within(node: object, path: string, visit: () => void): void {
    if (this.ancestors.has(node)) {
      this.issues.add(path, 'must not contain itself');
      return;
    }
    this.ancestors.add(node);
    try {
      visit();
    } finally {
      this.ancestors.delete(node);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Rules per task type: Conductor's WorkflowTaskTypeConstraint, plus the runtime requirements Conductor only
// discovers when the task is scheduled (a fork without its JOIN, an INLINE without an expression).

interface TaskRuleContext {
  task: Record<string, unknown>;
  type: string;
  path: string;
  /** The task after this one in the same list. */
  next: unknown;
  issues: IssueCollector;
  checker: WorkflowDefChecker;
}

type TaskRule = (ctx: TaskRuleContext) => void;

const SWITCH_EVALUATORS = ['value-param', 'javascript', 'graaljs'];
const INLINE_EVALUATORS = ['javascript', 'graaljs', 'value-param'];
const TERMINATION_STATUSES = ['COMPLETED', 'FAILED', 'TERMINATED'];
const IDEMPOTENCY_STRATEGIES = ['FAIL', 'RETURN_EXISTING', 'FAIL_ON_RUNNING'];

// A Map, not an object literal: a task type such as "constructor" must not find a rule on the prototype.
const TASK_TYPE_RULES = new Map<string, TaskRule>([
  ['DECISION', checkDecision],
  ['SWITCH', checkSwitch],
  ['DO_WHILE', checkDoWhile],
  ['FORK_JOIN', checkForkJoin],
  ['FORK_JOIN_DYNAMIC', checkDynamicForkJoin],
  ['DYNAMIC', (ctx) => requireField(ctx, 'dynamicTaskNameParam')],
  // Conductor also accepts `method` alone: the HTTP task reads its request from the top-level input.
  ['HTTP', (ctx) => requireInput(ctx, ['http_request', 'uri', 'method'])],
  ['KAFKA_PUBLISH', (ctx) => requireInput(ctx, ['kafka_request'])],
  ['JSON_JQ_TRANSFORM', (ctx) => requireInput(ctx, ['queryExpression'])],
  ['INLINE', checkInline],
  ['LAMBDA', (ctx) => requireInput(ctx, ['scriptExpression'])],
  ['WAIT', checkWait],
  ['SUB_WORKFLOW', checkSubWorkflow],
  ['EVENT', (ctx) => requireField(ctx, 'sink')],
  ['TERMINATE', checkTerminate],
]);

function checkDecision(ctx: TaskRuleContext): void {
  if (isAbsent(ctx.task.caseValueParam) && isAbsent(ctx.task.caseExpression)) {
    ctx.issues.add(
      childPath(ctx.path, 'caseValueParam'),
      'caseValueParam or caseExpression is required for a DECISION task',
    );
  }
  checkDecisionCases(ctx);
}

function checkSwitch(ctx: TaskRuleContext): void {
  if (requireField(ctx, 'evaluatorType')) {
    checkOptionalEnum(
      ctx.issues,
      childPath(ctx.path, 'evaluatorType'),
      ctx.task.evaluatorType,
      SWITCH_EVALUATORS,
    );
  }
  requireField(ctx, 'expression');
  checkDecisionCases(ctx);
}

/** Conductor requires at least one case for DECISION and SWITCH alike. */
function checkDecisionCases(ctx: TaskRuleContext): void {
  const path = childPath(ctx.path, 'decisionCases');
  const cases = ctx.task.decisionCases;
  if (isAbsent(cases)) ctx.issues.add(path, `is required for a ${ctx.type} task`);
  else if (!isMap(cases)) ctx.issues.add(path, 'must be a map of task lists');
  else if (Object.keys(cases).length === 0) ctx.issues.add(path, 'must have at least one case');
}

// A loop over `items` (newer Conductor) needs no condition: it ends after the last item.
function checkDoWhile(ctx: TaskRuleContext): void {
  if (isAbsent(ctx.task.items)) requireField(ctx, 'loopCondition');
  requireNonEmptyArray(ctx, 'loopOver');
}

function checkForkJoin(ctx: TaskRuleContext): void {
  requireNonEmptyArray(ctx, 'forkTasks');
  requireJoinAfter(ctx);
}

/** Three input forms, as in Conductor: forkTaskName/forkTaskInputs, the param pair, or the legacy param. */
function checkDynamicForkJoin(ctx: TaskRuleContext): void {
  const { task } = ctx;
  const usesSimpleForm = hasOwnInput(task, 'forkTaskInputs') || hasOwnInput(task, 'forkTaskName');
  if (!usesSimpleForm && !isAbsent(task.dynamicForkJoinTasksParam)) {
    if (!isAbsent(task.dynamicForkTasksParam) || !isAbsent(task.dynamicForkTasksInputParamName)) {
      ctx.issues.add(
        childPath(ctx.path, 'dynamicForkJoinTasksParam'),
        'cannot be combined with dynamicForkTasksParam and dynamicForkTasksInputParamName',
      );
    }
  } else if (!usesSimpleForm) {
    requireField(ctx, 'dynamicForkTasksParam');
    requireField(ctx, 'dynamicForkTasksInputParamName');
  }
  requireJoinAfter(ctx);
}

function checkInline(ctx: TaskRuleContext): void {
  requireInput(ctx, ['expression']);
  const evaluatorType = inputOf(ctx.task).evaluatorType;
  const path = childPath(childPath(ctx.path, 'inputParameters'), 'evaluatorType');
  if (typeof evaluatorType === 'string' && containsExpression(evaluatorType)) return;
  if (checkOptionalString(ctx.issues, path, evaluatorType)) {
    checkOptionalEnum(ctx.issues, path, evaluatorType, INLINE_EVALUATORS);
  }
}

/** `duration` or `until`, not both; each must parse unless it holds an expression resolved at run time. */
function checkWait(ctx: TaskRuleContext): void {
  const inputPath = childPath(ctx.path, 'inputParameters');
  const duration = waitInput(ctx, 'duration');
  const until = waitInput(ctx, 'until');
  if (duration === null || until === null) return;
  if (duration !== '' && until !== '') {
    ctx.issues.add(inputPath, 'duration and until cannot both be given');
  } else if (duration !== '' && !containsExpression(duration) && parseWaitDuration(duration) === null) {
    ctx.issues.add(
      childPath(inputPath, 'duration'),
      'must be a duration such as "30s", "1d 2h 3m" or "5 minutes"',
    );
  } else if (until !== '' && !containsExpression(until) && parseWaitUntil(until) === null) {
    ctx.issues.add(
      childPath(inputPath, 'until'),
      'must be a time as "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm z" or "yyyy-MM-dd"',
    );
  }
}

/** The trimmed text of a WAIT input; '' when absent or blank (Conductor ignores blank), null when not a string. */
function waitInput(ctx: TaskRuleContext, key: string): string | null {
  const value = inputOf(ctx.task)[key];
  if (isAbsent(value)) return '';
  const path = childPath(childPath(ctx.path, 'inputParameters'), key);
  return checkOptionalString(ctx.issues, path, value) ? (value as string).trim() : null;
}

function checkSubWorkflow(ctx: TaskRuleContext): void {
  const { issues } = ctx;
  const path = childPath(ctx.path, 'subWorkflowParam');
  const params = ctx.task.subWorkflowParam;
  if (isAbsent(params)) {
    issues.add(path, 'is required for a SUB_WORKFLOW task');
    return;
  }
  if (!isMap(params)) {
    issues.add(path, 'must be an object');
    return;
  }
  const at = (key: string) => childPath(path, key);
  if (isAbsent(params.workflowDefinition) && (isAbsent(params.name) || params.name === '')) {
    issues.add(at('name'), 'is required unless workflowDefinition is given');
  } else {
    checkOptionalString(issues, at('name'), params.name);
  }
  // Conductor registers any Integer here (its own e2e fixtures use 0); a missing version fails at start.
  checkNumberOrExpression(issues, at('version'), params.version, { integer: true, min: 0 });
  checkNumberOrExpression(issues, at('priority'), params.priority, { integer: true, min: 0, max: 99 });
  checkOptionalStringMap(issues, at('taskToDomain'), params.taskToDomain);
  checkOptionalString(issues, at('idempotencyKey'), params.idempotencyKey);
  checkOptionalEnum(issues, at('idempotencyStrategy'), params.idempotencyStrategy, IDEMPOTENCY_STRATEGIES);
  checkInlineSubWorkflowDef(ctx, params.workflowDefinition, at('workflowDefinition'));
}

/** An inline definition is checked as a definition of its own (its reference names form their own scope). */
function checkInlineSubWorkflowDef(ctx: TaskRuleContext, def: unknown, path: string): void {
  if (isAbsent(def)) return;
  if (typeof def === 'string') ctx.checker.checkExpressions(def, path);
  else if (isMap(def)) ctx.checker.checkDef(def, path);
  else ctx.issues.add(path, 'must be a workflow definition or an expression');
}

function checkTerminate(ctx: TaskRuleContext): void {
  if (ctx.task.optional === true) {
    ctx.issues.add(childPath(ctx.path, 'optional'), 'a TERMINATE task cannot be optional');
  }
  const status = inputOf(ctx.task).terminationStatus;
  const path = childPath(childPath(ctx.path, 'inputParameters'), 'terminationStatus');
  if (isAbsent(status)) {
    ctx.issues.add(path, 'is required for a TERMINATE task (COMPLETED, FAILED or TERMINATED)');
  } else if (
    typeof status !== 'string' ||
    !(TERMINATION_STATUSES.includes(status) || containsExpression(status))
  ) {
    ctx.issues.add(path, `must be one of ${TERMINATION_STATUSES.join(', ')}`);
  }
}

/**
 * A field of the task itself; returns whether it is present. Like Conductor, only null counts as missing:
 * an exported DO_WHILE over `items` carries `loopCondition: ""`.
 */
function requireField(ctx: TaskRuleContext, key: string): boolean {
  if (!isAbsent(ctx.task[key])) return true;
  ctx.issues.add(childPath(ctx.path, key), `is required for a ${ctx.type} task`);
  return false;
}

function requireNonEmptyArray(ctx: TaskRuleContext, key: string): void {
  const path = childPath(ctx.path, key);
  const value = ctx.task[key];
  if (isAbsent(value)) ctx.issues.add(path, `is required for a ${ctx.type} task`);
  else if (!Array.isArray(value)) ctx.issues.add(path, 'must be an array');
  else if (value.length === 0) ctx.issues.add(path, 'must not be empty');
}

/**
 * One of `keys` must be an input of the task: in its `inputParameters`, or (as Conductor allows) in the
 * `inputTemplate` of its embedded or registered TaskDef. Reported at the first key.
 */
function requireInput(ctx: TaskRuleContext, keys: readonly string[]): void {
  const templates = [ctx.task.taskDefinition, ctx.checker.registeredTaskDef(ctx.task.name)].map((def) =>
    isMap(def) && isMap(def.inputTemplate) ? def.inputTemplate : {},
  );
  const sources = [inputOf(ctx.task), ...templates];
  if (keys.some((key) => sources.some((source) => Object.hasOwn(source, key)))) return;
  const alternatives =
    keys.length > 1 ? ` (or inputParameters.${keys.slice(1).join(' / inputParameters.')})` : '';
  ctx.issues.add(
    childPath(childPath(ctx.path, 'inputParameters'), keys[0]),
    `is required for a ${ctx.type} task${alternatives}`,
  );
}

// A fork's branches end in the JOIN that follows it; without one Conductor fails the workflow at run time.
function requireJoinAfter(ctx: TaskRuleContext): void {
  if (!(isMap(ctx.next) && ctx.next.type === 'JOIN'))
    ctx.issues.add(ctx.path, 'must be followed by a JOIN task');
}

function inputOf(task: Record<string, unknown>): Record<string, unknown> {
  return isMap(task.inputParameters) ? task.inputParameters : {};
}

function hasOwnInput(task: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(inputOf(task), key);
}

/** True when the text holds a `${...}` that is resolved at run time (an escaped `$${` is literal text). */
function containsExpression(text: string): boolean {
  return /(?<!\$)\$\{/.test(text);
}

function checkNumberOrExpression(
  issues: IssueCollector,
  path: string,
  value: unknown,
  rule: NumberRule,
): void {
  if (typeof value === 'string') return;
  checkOptionalNumber(issues, path, value, rule);
}
