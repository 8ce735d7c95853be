import { describe, expect, it } from 'vitest';
import { ValidationError, type ValidationIssue } from '../../src/errors.js';
import { findExpressionSyntaxError } from '../../src/expressions/syntax.js';
import {
  validateStartRequest,
  validateTaskDef,
  validateTaskDefs,
  validateTaskResult,
  validateWorkflowDef,
} from '../../src/model/validation/index.js';
import { IssueCollector } from '../../src/model/validation/issues.js';

/** The issues of the ValidationError `run` throws; fails the test on any other outcome. */
function issuesOf(run: () => unknown): ValidationIssue[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

function pathsOf(run: () => unknown): string[] {
  return issuesOf(run).map((issue) => issue.path);
}

const simple = (ref: string, extra: Record<string, unknown> = {}) => ({
  name: `task_${ref}`,
  taskReferenceName: ref,
  type: 'SIMPLE',
  ...extra,
});

const join = (ref: string, joinOn: string[] = []) => ({
  name: ref,
  taskReferenceName: ref,
  type: 'JOIN',
  joinOn,
});

/** A one-task workflow, to test the rules of one task. */
const workflowOf = (...tasks: unknown[]) => ({ name: 'wf', version: 1, tasks });

const workflowPaths = (...tasks: unknown[]) => pathsOf(() => validateWorkflowDef(workflowOf(...tasks)));

describe('validateTaskDefs', () => {
  it('accepts the task definitions of the design example and Conductor test harness', () => {
    const defs = [
      {
        name: 'charge',
        retryCount: 2,
        retryLogic: 'FIXED',
        retryDelaySeconds: 1,
        timeoutSeconds: 60,
        responseTimeoutSeconds: 30,
      },
      { name: 'integration_task_0', retryCount: 1, timeoutSeconds: 120, responseTimeoutSeconds: 120 },
      {
        name: 'task_optional',
        retryCount: 1,
        timeoutSeconds: 5,
        responseTimeoutSeconds: 5,
        timeoutPolicy: 'RETRY',
        retryDelaySeconds: 0,
      },
      { name: 'test_task_with_rateLimits', rateLimitPerFrequency: 1, rateLimitFrequencyInSeconds: 10 },
      { name: 'test_task_with_concurrency_limit', concurrentExecLimit: 1, inputTemplate: { a: 1 } },
      { name: 'exp', retryLogic: 'EXPONENTIAL_BACKOFF', maxRetryDelaySeconds: 3, backoffScaleFactor: 2 },
    ];
    expect(validateTaskDefs(defs)).toBe(defs);
  });

  it('never requires ownerEmail', () => {
    expect(() => validateTaskDefs([{ name: 'a' }])).not.toThrow();
  });

  it('treats null as an absent field, as Conductor JSON writes it', () => {
    expect(() =>
      validateTaskDefs([
        { name: 'a', pollTimeoutSeconds: null, concurrentExecLimit: null, ownerEmail: null },
      ]),
    ).not.toThrow();
  });

  it('reports a root that is not an array at path ""', () => {
    expect(pathsOf(() => validateTaskDefs({ name: 'a' }))).toEqual(['']);
    expect(pathsOf(() => validateTaskDefs(null))).toEqual(['']);
  });

  it('reports an element that is not an object at its index', () => {
    expect(pathsOf(() => validateTaskDefs([{ name: 'a' }, 'b', null]))).toEqual(['[1]', '[2]']);
  });

  it('requires a non-empty name', () => {
    expect(pathsOf(() => validateTaskDefs([{ name: 'a' }, {}, { name: '' }, { name: 7 }]))).toEqual([
      '[1].name',
      '[2].name',
      '[3].name',
    ]);
  });

  it('reports a wrong JSON type as such, with the index first in the path', () => {
    expect(issuesOf(() => validateTaskDefs([{ name: 'a' }, { name: 'b', retryCount: '3' }]))).toEqual([
      { path: '[1].retryCount', message: 'must be a number' },
    ]);
  });

  it('rejects negative and fractional counts and durations', () => {
    const def = {
      name: 'a',
      retryCount: -1,
      retryDelaySeconds: 1.5,
      timeoutSeconds: -3,
      pollTimeoutSeconds: -1,
      maxRetryDelaySeconds: -1,
      concurrentExecLimit: -1,
      rateLimitPerFrequency: -1,
      rateLimitFrequencyInSeconds: 0.5,
    };
    expect(issuesOf(() => validateTaskDefs([def]))).toEqual([
      { path: '[0].retryCount', message: 'must not be negative' },
      { path: '[0].retryDelaySeconds', message: 'must be an integer' },
      { path: '[0].timeoutSeconds', message: 'must not be negative' },
      { path: '[0].pollTimeoutSeconds', message: 'must not be negative' },
      { path: '[0].maxRetryDelaySeconds', message: 'must not be negative' },
      { path: '[0].concurrentExecLimit', message: 'must not be negative' },
      { path: '[0].rateLimitPerFrequency', message: 'must not be negative' },
      { path: '[0].rateLimitFrequencyInSeconds', message: 'must be an integer' },
    ]);
  });

  it('requires responseTimeoutSeconds >= 1 (Conductor @Min(1))', () => {
    expect(pathsOf(() => validateTaskDefs([{ name: 'a', responseTimeoutSeconds: 0 }]))).toEqual([
      '[0].responseTimeoutSeconds',
    ]);
  });

  it('requires backoffScaleFactor >= 1 (Conductor @Min(1))', () => {
    expect(pathsOf(() => validateTaskDefs([{ name: 'a', backoffScaleFactor: 0 }]))).toEqual([
      '[0].backoffScaleFactor',
    ]);
  });

  it('rejects a response timeout above a set task timeout (TaskTimeoutConstraint)', () => {
    expect(
      pathsOf(() => validateTaskDefs([{ name: 'a', timeoutSeconds: 60, responseTimeoutSeconds: 61 }])),
    ).toEqual(['[0].responseTimeoutSeconds']);
    expect(() =>
      validateTaskDefs([
        { name: 'equal', timeoutSeconds: 60, responseTimeoutSeconds: 60 },
        { name: 'no-timeout', timeoutSeconds: 0, responseTimeoutSeconds: 3600 },
        { name: 'default-response', timeoutSeconds: 60 },
      ]),
    ).not.toThrow();
  });

  it('rejects a task timeout above totalTimeoutSeconds', () => {
    expect(
      pathsOf(() => validateTaskDefs([{ name: 'a', timeoutSeconds: 60, totalTimeoutSeconds: 30 }])),
    ).toEqual(['[0].timeoutSeconds']);
  });

  it('checks retryLogic and timeoutPolicy against their enums', () => {
    expect(
      pathsOf(() => validateTaskDefs([{ name: 'a', retryLogic: 'RANDOM', timeoutPolicy: 'NEVER' }])),
    ).toEqual(['[0].retryLogic', '[0].timeoutPolicy']);
  });

  it('requires inputTemplate to be a map', () => {
    expect(pathsOf(() => validateTaskDefs([{ name: 'a', inputTemplate: [1] }]))).toEqual([
      '[0].inputTemplate',
    ]);
  });

  it('reports a name registered twice at its later occurrence', () => {
    expect(pathsOf(() => validateTaskDefs([{ name: 'a' }, { name: 'b' }, { name: 'a' }]))).toEqual([
      '[2].name',
    ]);
  });

  it('is all-or-nothing and lists every issue of every element', () => {
    expect(
      pathsOf(() =>
        validateTaskDefs([{ name: 'ok' }, { name: 'x', retryCount: -1 }, { retryDelaySeconds: 'x' }]),
      ),
    ).toEqual(['[1].retryCount', '[2].name', '[2].retryDelaySeconds']);
  });
});

describe('validateTaskDef', () => {
  it('returns a valid def and reports junk at the root as path ""', () => {
    const def = { name: 'a', retryCount: 0 };
    expect(validateTaskDef(def)).toBe(def);
    expect(pathsOf(() => validateTaskDef(42))).toEqual(['']);
  });

  it('records under the given path into a caller collector without throwing', () => {
    const issues = new IssueCollector();
    validateTaskDef({ name: 'a', retryCount: -1 }, 'defs[3]', issues);
    expect(issues.issues).toEqual([{ path: 'defs[3].retryCount', message: 'must not be negative' }]);
  });
});

describe('findExpressionSyntaxError', () => {
  it.each([
    'plain text',
    '${workflow.input.a}',
    'id-${workflow.input.x}-${t1.output.y}',
    '${}',
    '${workflow.input.${workflow.input.key}}',
    '${t1.output.items[?(@.a == 1)]}',
    '$${not an expression',
    '$${x}',
    'stray } brace',
    '$ {x',
    '',
  ])('accepts %j', (text) => {
    expect(findExpressionSyntaxError(text)).toBeNull();
  });

  it.each([
    ['${workflow.input.a', 0],
    ['id-${x', 3],
    ['${a} and ${b', 9],
    ['${workflow.input.${key}', 0],
  ])('reports the unclosed "${" of %j at index %i', (text, index) => {
    expect(findExpressionSyntaxError(text)).toContain(`at index ${index}`);
  });
});

describe('validateWorkflowDef: valid definitions', () => {
  it('accepts the design example', () => {
    const def = {
      name: 'order',
      version: 1,
      schemaVersion: 2,
      tasks: [
        {
          name: 'charge',
          taskReferenceName: 'charge',
          type: 'SIMPLE',
          inputParameters: { amount: '${workflow.input.amount}' },
        },
      ],
      outputParameters: { receipt: '${charge.output.receipt}' },
    };
    expect(validateWorkflowDef(def)).toBe(def);
  });

  it('accepts the fork/join of scenario 1 and the dynamic fork of scenario 2', () => {
    const def = workflowOf(
      {
        name: 'fork',
        taskReferenceName: 'fork',
        type: 'FORK_JOIN',
        forkTasks: [[simple('t1'), simple('t3')], [simple('t2')]],
      },
      join('join', ['t3', 't2']),
      simple('dt1'),
      {
        name: 'dynamicfanouttask',
        taskReferenceName: 'dynamicfanouttask',
        type: 'FORK_JOIN_DYNAMIC',
        inputParameters: {
          dynamicTasks: '${dt1.output.dynamicTasks}',
          dynamicTasksInput: '${dt1.output.input}',
        },
        dynamicForkTasksParam: 'dynamicTasks',
        dynamicForkTasksInputParamName: 'dynamicTasksInput',
      },
      join('dynamicfanouttask_join'),
      simple('t4'),
    );
    expect(() => validateWorkflowDef(def)).not.toThrow();
  });

  it('accepts the DO_WHILE of scenario 3, with a fork and join inside the loop', () => {
    const def = workflowOf({
      name: 'loopTask',
      taskReferenceName: 'loopTask',
      type: 'DO_WHILE',
      inputParameters: { value: '${workflow.input.loop}' },
      loopCondition: "if ($.loopTask['iteration'] < $.value) { true; } else { false; }",
      loopOver: [
        simple('integration_task_0'),
        {
          name: 'fork',
          taskReferenceName: 'fork',
          type: 'FORK_JOIN',
          forkTasks: [[simple('integration_task_1')], [simple('integration_task_2')]],
        },
        join('join', ['integration_task_1', 'integration_task_2']),
      ],
    });
    expect(() => validateWorkflowDef(def)).not.toThrow();
  });

  it('accepts the SWITCH of scenario 4 and a legacy DECISION', () => {
    const def = workflowOf(
      {
        name: 'switch',
        taskReferenceName: 'switch',
        type: 'SWITCH',
        evaluatorType: 'value-param',
        expression: 'switchCaseValue',
        inputParameters: { switchCaseValue: '${workflow.input.case}' },
        decisionCases: { c: [simple('t1'), simple('t2')], empty: [] },
        defaultCase: [simple('t5')],
      },
      {
        name: 'decision',
        taskReferenceName: 'decision',
        type: 'DECISION',
        caseExpression: '$.a > 1 ? "big" : "small"',
        decisionCases: { big: [simple('t6')] },
      },
      simple('t20'),
    );
    expect(() => validateWorkflowDef(def)).not.toThrow();
  });

  it('accepts every system task type with its required fields, and an unknown type as a worker task', () => {
    const def = workflowOf(
      {
        name: 'http',
        taskReferenceName: 'http',
        type: 'HTTP',
        inputParameters: { http_request: { uri: 'u' } },
      },
      {
        name: 'http2',
        taskReferenceName: 'http2',
        type: 'HTTP',
        inputParameters: { uri: 'u', method: 'GET' },
      },
      {
        name: 'kafka',
        taskReferenceName: 'kafka',
        type: 'KAFKA_PUBLISH',
        inputParameters: { kafka_request: {} },
      },
      {
        name: 'jq',
        taskReferenceName: 'jq',
        type: 'JSON_JQ_TRANSFORM',
        inputParameters: { queryExpression: '.a' },
      },
      {
        name: 'inline',
        taskReferenceName: 'inline',
        type: 'INLINE',
        inputParameters: { evaluatorType: 'graaljs', expression: '(function(){ return 1; })()' },
      },
      {
        name: 'lambda',
        taskReferenceName: 'lambda',
        type: 'LAMBDA',
        inputParameters: { scriptExpression: 'return 1' },
      },
      { name: 'wait', taskReferenceName: 'wait', type: 'WAIT', inputParameters: { duration: '1d 2h' } },
      {
        name: 'wait2',
        taskReferenceName: 'wait2',
        type: 'WAIT',
        inputParameters: { until: '2030-01-01 10:00 UTC' },
      },
      { name: 'wait3', taskReferenceName: 'wait3', type: 'WAIT' },
      { name: 'dyn', taskReferenceName: 'dyn', type: 'DYNAMIC', dynamicTaskNameParam: 'taskToExecute' },
      { name: 'event', taskReferenceName: 'event', type: 'EVENT', sink: 'conductor' },
      {
        name: 'sub',
        taskReferenceName: 'sub',
        type: 'SUB_WORKFLOW',
        subWorkflowParam: { name: 'child', version: 1 },
      },
      { name: 'setvar', taskReferenceName: 'setvar', type: 'SET_VARIABLE', inputParameters: { v: 1 } },
      { name: 'human', taskReferenceName: 'human', type: 'HUMAN' },
      { name: 'noop', taskReferenceName: 'noop', type: 'NOOP' },
      { name: 'my_worker', taskReferenceName: 'custom', type: 'SOMETHING_CUSTOM' },
      { name: 'untyped', taskReferenceName: 'untyped' },
      {
        name: 'terminate',
        taskReferenceName: 'terminate',
        type: 'TERMINATE',
        inputParameters: { terminationStatus: 'COMPLETED', workflowOutput: { a: 1 } },
      },
    );
    expect(() => validateWorkflowDef(def)).not.toThrow();
  });

  it('accepts the fields of a definition exported from Conductor (empty containers, nulls, embedded TaskDef)', () => {
    const exported = {
      name: 'integration_test_wf',
      description: null,
      version: 1,
      schemaVersion: 2,
      restartable: true,
      workflowStatusListenerEnabled: false,
      ownerEmail: null,
      timeoutPolicy: 'ALERT_ONLY',
      timeoutSeconds: 0,
      inputParameters: ['param1', 'param2'],
      outputParameters: { o1: '${workflow.input.param1}' },
      failureWorkflow: null,
      variables: {},
      inputTemplate: {},
      tasks: [
        {
          name: 'integration_task_1',
          taskReferenceName: 't1',
          type: 'SIMPLE',
          inputParameters: { p1: '${workflow.input.param1}' },
          decisionCases: {},
          defaultCase: [],
          forkTasks: [],
          startDelay: 0,
          joinOn: [],
          optional: false,
          defaultExclusiveJoinTask: [],
          asyncComplete: false,
          loopOver: [],
          retryCount: null,
          onStateChange: {},
          permissive: false,
          taskDefinition: {
            name: 'integration_task_1',
            retryCount: 0,
            timeoutSeconds: 120,
            responseTimeoutSeconds: 3600,
            inputKeys: [],
            outputKeys: [],
            timeoutPolicy: 'TIME_OUT_WF',
            retryLogic: 'FIXED',
            retryDelaySeconds: 0,
            inputTemplate: {},
            rateLimitPerFrequency: 0,
            rateLimitFrequencyInSeconds: 1,
          },
        },
      ],
    };
    expect(() => validateWorkflowDef(exported)).not.toThrow();
  });
});

describe('validateWorkflowDef: the definition', () => {
  it.each([
    ['null', null],
    ['a string', 'x'],
    ['an array', []],
    ['a number', 3],
  ])('reports a root that is %s at path ""', (_, root) => {
    expect(pathsOf(() => validateWorkflowDef(root))).toEqual(['']);
  });

  it('requires a name', () => {
    expect(pathsOf(() => validateWorkflowDef({ tasks: [simple('a')] }))).toEqual(['name']);
    expect(pathsOf(() => validateWorkflowDef({ name: '', tasks: [simple('a')] }))).toEqual(['name']);
  });

  it.each([
    ['missing', undefined, 'is required'],
    ['empty', [], 'must not be empty'],
    ['a string', 'x', 'must be an array of tasks'],
    ['a map', { a: simple('a') }, 'must be an array of tasks'],
  ])('requires tasks: %s', (_, tasks, message) => {
    expect(issuesOf(() => validateWorkflowDef({ name: 'wf', tasks }))).toEqual([{ path: 'tasks', message }]);
  });

  it('requires version to be an integer >= 1', () => {
    for (const version of [0, 1.5, '1']) {
      expect(pathsOf(() => validateWorkflowDef({ ...workflowOf(simple('a')), version }))).toEqual([
        'version',
      ]);
    }
  });

  it('accepts only schemaVersion 2', () => {
    expect(pathsOf(() => validateWorkflowDef({ ...workflowOf(simple('a')), schemaVersion: 1 }))).toEqual([
      'schemaVersion',
    ]);
  });

  it('requires timeoutSeconds >= 0 and timeoutPolicy TIME_OUT_WF or ALERT_ONLY', () => {
    const def = { ...workflowOf(simple('a')), timeoutSeconds: -1, timeoutPolicy: 'RETRY' };
    expect(pathsOf(() => validateWorkflowDef(def))).toEqual(['timeoutSeconds', 'timeoutPolicy']);
  });

  it('requires outputParameters, variables and inputTemplate to be maps', () => {
    const def = { ...workflowOf(simple('a')), outputParameters: ['x'], variables: 'v', inputTemplate: 1 };
    expect(pathsOf(() => validateWorkflowDef(def))).toEqual([
      'variables',
      'inputTemplate',
      'outputParameters',
    ]);
  });

  it('collects every issue before throwing once', () => {
    const def = { version: 0, tasks: [simple('a', { retryCount: -1 }), { name: 'b' }] };
    expect(pathsOf(() => validateWorkflowDef(def))).toEqual([
      'name',
      'version',
      'tasks[0].retryCount',
      'tasks[1].taskReferenceName',
    ]);
  });
});

describe('validateWorkflowDef: every task', () => {
  it('reports a task that is not an object at its index', () => {
    expect(workflowPaths(null)).toEqual(['tasks[0]']);
    expect(workflowPaths(simple('a'), 'x', 3)).toEqual(['tasks[1]', 'tasks[2]']);
  });

  it('requires name and taskReferenceName as non-empty strings', () => {
    expect(
      issuesOf(() => validateWorkflowDef(workflowOf({ type: 'SIMPLE' }, { name: 5, taskReferenceName: '' }))),
    ).toEqual([
      { path: 'tasks[0].name', message: 'is required' },
      { path: 'tasks[0].taskReferenceName', message: 'is required' },
      { path: 'tasks[1].name', message: 'must be a string' },
      { path: 'tasks[1].taskReferenceName', message: 'is required' },
    ]);
  });

  it('requires a string type', () => {
    expect(workflowPaths(simple('a', { type: 7 }))).toEqual(['tasks[0].type']);
  });

  it('requires retryCount to be an integer >= 0 and startDelay >= 0', () => {
    expect(
      workflowPaths(simple('a', { retryCount: -1 }), simple('b', { retryCount: '2', startDelay: -5 })),
    ).toEqual(['tasks[0].retryCount', 'tasks[1].startDelay', 'tasks[1].retryCount']);
  });

  it('rejects inputParameters that are not a map', () => {
    expect(
      workflowPaths(simple('a', { inputParameters: ['x'] }), simple('b', { inputParameters: 'x' })),
    ).toEqual(['tasks[0].inputParameters', 'tasks[1].inputParameters']);
  });

  it('checks an embedded taskDefinition, which needs no name of its own', () => {
    expect(workflowPaths(simple('a', { taskDefinition: { retryCount: -1 } }))).toEqual([
      'tasks[0].taskDefinition.retryCount',
    ]);
    expect(workflowPaths(simple('b', { taskDefinition: 'x' }))).toEqual(['tasks[0].taskDefinition']);
  });

  it('requires joinOn, when present, to be an array of strings', () => {
    expect(workflowPaths(join('j', 'a' as never))).toEqual(['tasks[0].joinOn']);
    expect(workflowPaths(join('j', ['a', 1] as never))).toEqual(['tasks[0].joinOn[1]']);
  });
});

describe('validateWorkflowDef: unique reference names', () => {
  it('reports a duplicate at its later occurrence', () => {
    expect(issuesOf(() => validateWorkflowDef(workflowOf(simple('a'), simple('b'), simple('a'))))).toEqual([
      {
        path: 'tasks[2].taskReferenceName',
        message: 'duplicate taskReferenceName "a" (first at tasks[0].taskReferenceName)',
      },
    ]);
  });

  it('looks into fork branches', () => {
    const def = workflowOf(
      simple('x'),
      { name: 'f', taskReferenceName: 'f', type: 'FORK_JOIN', forkTasks: [[simple('a')], [simple('x')]] },
      join('j'),
    );
    expect(pathsOf(() => validateWorkflowDef(def))).toEqual(['tasks[1].forkTasks[1][0].taskReferenceName']);
  });

  it('looks into decision cases, default cases and loop bodies', () => {
    const def = workflowOf(
      simple('x'),
      {
        name: 's',
        taskReferenceName: 's',
        type: 'SWITCH',
        evaluatorType: 'value-param',
        expression: 'v',
        decisionCases: { one: [simple('x')] },
        defaultCase: [simple('x')],
      },
      {
        name: 'l',
        taskReferenceName: 'l',
        type: 'DO_WHILE',
        loopCondition: 'false',
        loopOver: [simple('x')],
      },
    );
    expect(pathsOf(() => validateWorkflowDef(def))).toEqual([
      'tasks[1].decisionCases.one[0].taskReferenceName',
      'tasks[1].defaultCase[0].taskReferenceName',
      'tasks[2].loopOver[0].taskReferenceName',
    ]);
  });

  it('walks depth-first in definition order: a nested task comes before the next sibling', () => {
    const def = workflowOf(
      {
        name: 'l',
        taskReferenceName: 'l',
        type: 'DO_WHILE',
        loopCondition: 'false',
        loopOver: [simple('x')],
      },
      simple('x'),
    );
    expect(pathsOf(() => validateWorkflowDef(def))).toEqual(['tasks[1].taskReferenceName']);
  });

  it('counts a container task and its children in one scope', () => {
    const def = workflowOf({
      name: 'l',
      taskReferenceName: 'l',
      type: 'DO_WHILE',
      loopCondition: 'false',
      loopOver: [simple('l')],
    });
    expect(pathsOf(() => validateWorkflowDef(def))).toEqual(['tasks[0].loopOver[0].taskReferenceName']);
  });
});

describe('validateWorkflowDef: rules per task type', () => {
  it('DECISION needs caseValueParam or caseExpression and at least one case', () => {
    expect(workflowPaths({ name: 'd', taskReferenceName: 'd', type: 'DECISION' })).toEqual([
      'tasks[0].caseValueParam',
      'tasks[0].decisionCases',
    ]);
    expect(
      workflowPaths({
        name: 'd',
        taskReferenceName: 'd',
        type: 'DECISION',
        caseValueParam: 'c',
        decisionCases: {},
      }),
    ).toEqual(['tasks[0].decisionCases']);
  });

  it('SWITCH needs evaluatorType (value-param, javascript or graaljs), expression and cases', () => {
    expect(workflowPaths({ name: 's', taskReferenceName: 's', type: 'SWITCH' })).toEqual([
      'tasks[0].evaluatorType',
      'tasks[0].expression',
      'tasks[0].decisionCases',
    ]);
    const bad = {
      name: 's',
      taskReferenceName: 's',
      type: 'SWITCH',
      evaluatorType: 'python',
      expression: 'x',
    };
    expect(workflowPaths({ ...bad, decisionCases: { a: [simple('a')] } })).toEqual([
      'tasks[0].evaluatorType',
    ]);
  });

  it('SWITCH cases must be lists of tasks', () => {
    const sw = {
      name: 's',
      taskReferenceName: 's',
      type: 'SWITCH',
      evaluatorType: 'javascript',
      expression: '1',
    };
    expect(workflowPaths({ ...sw, decisionCases: { a: simple('a') } })).toEqual(['tasks[0].decisionCases.a']);
    expect(workflowPaths({ ...sw, decisionCases: [[simple('a')]] })).toEqual(['tasks[0].decisionCases']);
    expect(workflowPaths({ ...sw, decisionCases: { a: [] }, defaultCase: 'x' })).toEqual([
      'tasks[0].defaultCase',
    ]);
  });

  it('DO_WHILE needs loopCondition (unless it loops over items) and a non-empty loopOver', () => {
    expect(workflowPaths({ name: 'l', taskReferenceName: 'l', type: 'DO_WHILE' })).toEqual([
      'tasks[0].loopCondition',
      'tasks[0].loopOver',
    ]);
    expect(
      workflowPaths({
        name: 'l',
        taskReferenceName: 'l',
        type: 'DO_WHILE',
        loopCondition: 'x',
        loopOver: [],
      }),
    ).toEqual(['tasks[0].loopOver']);
    const overItems = {
      name: 'l',
      taskReferenceName: 'l',
      type: 'DO_WHILE',
      items: '${workflow.input.list}',
    };
    expect(() => validateWorkflowDef(workflowOf({ ...overItems, loopOver: [simple('a')] }))).not.toThrow();
  });

  it('FORK_JOIN needs a non-empty list of non-empty task lists', () => {
    const fork = { name: 'f', taskReferenceName: 'f', type: 'FORK_JOIN' };
    expect(workflowPaths(fork, join('j'))).toEqual(['tasks[0].forkTasks']);
    expect(workflowPaths({ ...fork, forkTasks: [] }, join('j'))).toEqual(['tasks[0].forkTasks']);
    expect(workflowPaths({ ...fork, forkTasks: [[simple('a')], [], simple('b')] }, join('j'))).toEqual([
      'tasks[0].forkTasks[1]',
      'tasks[0].forkTasks[2]',
    ]);
  });

  it('FORK_JOIN must be immediately followed by a JOIN in the same list', () => {
    const fork = { name: 'f', taskReferenceName: 'f', type: 'FORK_JOIN', forkTasks: [[simple('a')]] };
    expect(issuesOf(() => validateWorkflowDef(workflowOf(fork, simple('b'), join('j'))))).toEqual([
      { path: 'tasks[0]', message: 'must be followed by a JOIN task' },
    ]);
    expect(workflowPaths(simple('b'), fork)).toEqual(['tasks[1]']);
    const nested = { ...fork, taskReferenceName: 'inner', forkTasks: [[simple('c')]] };
    expect(workflowPaths({ ...fork, forkTasks: [[nested]] }, join('j'))).toEqual([
      'tasks[0].forkTasks[0][0]',
    ]);
    expect(() =>
      validateWorkflowDef(workflowOf({ ...fork, forkTasks: [[nested, join('ij')]] }, join('j'))),
    ).not.toThrow();
  });

  it('FORK_JOIN_DYNAMIC needs its task and input params (or forkTaskName / forkTaskInputs), and a JOIN', () => {
    const dyn = { name: 'd', taskReferenceName: 'd', type: 'FORK_JOIN_DYNAMIC' };
    expect(workflowPaths(dyn, join('j'))).toEqual([
      'tasks[0].dynamicForkTasksParam',
      'tasks[0].dynamicForkTasksInputParamName',
    ]);
    expect(workflowPaths({ ...dyn, dynamicForkTasksParam: 'a' }, join('j'))).toEqual([
      'tasks[0].dynamicForkTasksInputParamName',
    ]);
    expect(
      workflowPaths({ ...dyn, dynamicForkJoinTasksParam: 'a', dynamicForkTasksParam: 'b' }, join('j')),
    ).toEqual(['tasks[0].dynamicForkJoinTasksParam']);
    expect(workflowPaths({ ...dyn, dynamicForkJoinTasksParam: 'a' })).toEqual(['tasks[0]']);
    const simpleForm = {
      ...dyn,
      inputParameters: { forkTaskName: 'w', forkTaskInputs: '${workflow.input.list}' },
    };
    expect(() => validateWorkflowDef(workflowOf(simpleForm, join('j')))).not.toThrow();
  });

  it('DYNAMIC needs dynamicTaskNameParam and EVENT needs sink', () => {
    expect(
      workflowPaths(
        { name: 'd', taskReferenceName: 'd', type: 'DYNAMIC' },
        { name: 'e', taskReferenceName: 'e', type: 'EVENT' },
      ),
    ).toEqual(['tasks[0].dynamicTaskNameParam', 'tasks[1].sink']);
  });

  it('HTTP needs inputParameters.http_request or .uri, or http_request in a TaskDef inputTemplate', () => {
    const http = { name: 'h', taskReferenceName: 'h', type: 'HTTP' };
    expect(workflowPaths(http)).toEqual(['tasks[0].inputParameters.http_request']);
    expect(() =>
      validateWorkflowDef(workflowOf({ ...http, taskDefinition: { inputTemplate: { http_request: {} } } })),
    ).not.toThrow();
    const getTaskDef = (name: string) =>
      name === 'h' ? { name, inputTemplate: { http_request: { uri: 'u' } } } : null;
    expect(() => validateWorkflowDef(workflowOf(http), { getTaskDef })).not.toThrow();
  });

  it('KAFKA_PUBLISH, JSON_JQ_TRANSFORM, INLINE and LAMBDA need their input', () => {
    expect(
      workflowPaths(
        { name: 'k', taskReferenceName: 'k', type: 'KAFKA_PUBLISH', inputParameters: {} },
        { name: 'j', taskReferenceName: 'j', type: 'JSON_JQ_TRANSFORM' },
        {
          name: 'i',
          taskReferenceName: 'i',
          type: 'INLINE',
          inputParameters: { evaluatorType: 'javascript' },
        },
        { name: 'l', taskReferenceName: 'l', type: 'LAMBDA' },
      ),
    ).toEqual([
      'tasks[0].inputParameters.kafka_request',
      'tasks[1].inputParameters.queryExpression',
      'tasks[2].inputParameters.expression',
      'tasks[3].inputParameters.scriptExpression',
    ]);
  });

  it('INLINE evaluatorType, when given, is javascript, graaljs or value-param', () => {
    const inline = (evaluatorType: unknown) => ({
      name: 'i',
      taskReferenceName: 'i',
      type: 'INLINE',
      inputParameters: { evaluatorType, expression: '1' },
    });
    expect(workflowPaths(inline('python'))).toEqual(['tasks[0].inputParameters.evaluatorType']);
    expect(workflowPaths(inline(3))).toEqual(['tasks[0].inputParameters.evaluatorType']);
    expect(() => validateWorkflowDef(workflowOf(inline('value-param')))).not.toThrow();
    expect(() => validateWorkflowDef(workflowOf(inline('${workflow.input.evaluator}')))).not.toThrow();
  });

  it('WAIT takes duration or until, not both', () => {
    const wait = { name: 'w', taskReferenceName: 'w', type: 'WAIT' };
    expect(
      issuesOf(() =>
        validateWorkflowDef(
          workflowOf({ ...wait, inputParameters: { duration: '1s', until: '2030-01-01' } }),
        ),
      ),
    ).toEqual([{ path: 'tasks[0].inputParameters', message: 'duration and until cannot both be given' }]);
    expect(() =>
      validateWorkflowDef(workflowOf({ ...wait, inputParameters: { duration: '1s', until: '  ' } })),
    ).not.toThrow();
  });

  it('WAIT duration and until must parse unless they are expressions', () => {
    const wait = (inputParameters: Record<string, unknown>) => ({
      name: 'w',
      taskReferenceName: 'w',
      type: 'WAIT',
      inputParameters,
    });
    expect(
      workflowPaths(
        wait({ duration: '10 parsecs' }),
        { ...wait({ until: '2030-02-30 10:00' }), taskReferenceName: 'w2' },
        { ...wait({ duration: 10 }), taskReferenceName: 'w3' },
      ),
    ).toEqual([
      'tasks[0].inputParameters.duration',
      'tasks[1].inputParameters.until',
      'tasks[2].inputParameters.duration',
    ]);
    expect(() =>
      validateWorkflowDef(
        workflowOf(
          wait({ duration: '${workflow.input.wait}' }),
          { ...wait({ until: '${workflow.input.until}' }), taskReferenceName: 'w2' },
          { ...wait({ until: '2030-01-01 10:00 GMT+05:30' }), taskReferenceName: 'w3' },
          { ...wait({ duration: '5 minutes' }), taskReferenceName: 'w4' },
        ),
      ),
    ).not.toThrow();
  });

  it('SUB_WORKFLOW needs subWorkflowParam with a name or an inline workflowDefinition', () => {
    const sub = { name: 's', taskReferenceName: 's', type: 'SUB_WORKFLOW' };
    expect(workflowPaths(sub)).toEqual(['tasks[0].subWorkflowParam']);
    expect(workflowPaths({ ...sub, subWorkflowParam: 'child' })).toEqual(['tasks[0].subWorkflowParam']);
    expect(workflowPaths({ ...sub, subWorkflowParam: { version: 1 } })).toEqual([
      'tasks[0].subWorkflowParam.name',
    ]);
    expect(workflowPaths({ ...sub, subWorkflowParam: { name: 'c', version: 1.5, priority: 100 } })).toEqual([
      'tasks[0].subWorkflowParam.version',
      'tasks[0].subWorkflowParam.priority',
    ]);
    const inline = { ...sub, subWorkflowParam: { workflowDefinition: workflowOf(simple('s')) } };
    expect(() => validateWorkflowDef(workflowOf(inline))).not.toThrow();
    const fromExpression = {
      ...sub,
      subWorkflowParam: { name: 'c', workflowDefinition: '${wf_builder.output.result}' },
    };
    expect(() => validateWorkflowDef(workflowOf(fromExpression))).not.toThrow();
  });

  it('checks an inline sub-workflow definition with its own reference-name scope', () => {
    const child = { name: 'child', tasks: [simple('s'), { name: 'x' }] };
    const sub = {
      name: 's',
      taskReferenceName: 's',
      type: 'SUB_WORKFLOW',
      subWorkflowParam: { workflowDefinition: child },
    };
    expect(workflowPaths(sub)).toEqual([
      'tasks[0].subWorkflowParam.workflowDefinition.tasks[1].taskReferenceName',
    ]);
  });

  it('TERMINATE cannot be optional and needs terminationStatus COMPLETED, FAILED or TERMINATED', () => {
    const terminate = (status: unknown, extra: Record<string, unknown> = {}) => ({
      name: 't',
      taskReferenceName: 't',
      type: 'TERMINATE',
      inputParameters: { terminationStatus: status },
      ...extra,
    });
    expect(workflowPaths(terminate('COMPLETED', { optional: true }))).toEqual(['tasks[0].optional']);
    expect(workflowPaths(terminate('DONE'))).toEqual(['tasks[0].inputParameters.terminationStatus']);
    expect(workflowPaths(terminate(undefined))).toEqual(['tasks[0].inputParameters.terminationStatus']);
    for (const status of ['FAILED', 'TERMINATED', '${workflow.input.status}']) {
      expect(() => validateWorkflowDef(workflowOf(terminate(status)))).not.toThrow();
    }
  });
});

describe('validateWorkflowDef: expressions', () => {
  it('names the exact path of an unclosed ${ in inputParameters', () => {
    const task = simple('a', { inputParameters: { a: { b: ['ok', '${x}', 'id-${workflow.input.x'] } } });
    const [issue] = issuesOf(() => validateWorkflowDef(workflowOf(task)));
    expect(issue.path).toBe('tasks[0].inputParameters.a.b[2]');
    expect(issue.message).toContain('unclosed');
  });

  it('checks outputParameters and nested tasks too', () => {
    const def = {
      ...workflowOf({
        name: 'l',
        taskReferenceName: 'l',
        type: 'DO_WHILE',
        loopCondition: 'x',
        loopOver: [simple('a', { inputParameters: { p: '${a' } })],
      }),
      outputParameters: { o: ['${b'] },
    };
    expect(pathsOf(() => validateWorkflowDef(def))).toEqual([
      'outputParameters.o[0]',
      'tasks[0].loopOver[0].inputParameters.p',
    ]);
  });

  it('accepts $${ escapes, empty ${} and nested expressions', () => {
    const task = simple('a', {
      inputParameters: { a: '$${literal', b: '${}', c: '${workflow.input.${workflow.input.k}}' },
    });
    expect(() => validateWorkflowDef(workflowOf(task))).not.toThrow();
  });
});

describe('validateWorkflowDef: hostile input', () => {
  it('reports a task that contains itself instead of looping forever', () => {
    const loop: Record<string, unknown> = {
      name: 'l',
      taskReferenceName: 'l',
      type: 'DO_WHILE',
      loopCondition: 'x',
    };
    loop.loopOver = [loop];
    expect(issuesOf(() => validateWorkflowDef(workflowOf(loop)))).toEqual([
      { path: 'tasks[0].loopOver[0]', message: 'must not contain itself' },
    ]);
  });

  it('survives cyclic inputParameters and a definition inlined in itself', () => {
    const input: Record<string, unknown> = {};
    input.self = input;
    expect(workflowPaths(simple('a', { inputParameters: input }))).toEqual(['tasks[0].inputParameters.self']);
    const def: Record<string, unknown> = { name: 'wf' };
    def.tasks = [
      {
        name: 's',
        taskReferenceName: 's',
        type: 'SUB_WORKFLOW',
        subWorkflowParam: { workflowDefinition: def },
      },
    ];
    expect(pathsOf(() => validateWorkflowDef(def))).toEqual(['tasks[0].subWorkflowParam.workflowDefinition']);
  });

  it('turns a throwing getter into an issue at the root', () => {
    const def = {
      name: 'wf',
      get tasks(): unknown {
        throw new TypeError('boom');
      },
    };
    expect(issuesOf(() => validateWorkflowDef(def))).toEqual([
      { path: '', message: 'could not be validated: boom' },
    ]);
  });

  it('throws only ValidationErrors for odd values anywhere', () => {
    const odd = [null, undefined, 0, -1, 1.5, '', 'x', true, [], [null], {}, { a: null }, Number.NaN];
    const keys = [
      'name',
      'type',
      'taskReferenceName',
      'inputParameters',
      'forkTasks',
      'decisionCases',
      'loopOver',
      'subWorkflowParam',
      'joinOn',
      'taskDefinition',
    ];
    const types = [
      'SIMPLE',
      'FORK_JOIN',
      'SWITCH',
      'DECISION',
      'DO_WHILE',
      'SUB_WORKFLOW',
      'WAIT',
      'TERMINATE',
      'FORK_JOIN_DYNAMIC',
      'constructor',
    ];
    for (const type of types) {
      for (const key of keys) {
        for (const value of odd) {
          const task = { name: 'a', taskReferenceName: 'a', type, [key]: value };
          try {
            validateWorkflowDef({ name: 'wf', tasks: [task, join('j')] });
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
          }
        }
      }
    }
  });
});

describe('validateStartRequest', () => {
  it('accepts a minimal and a full request', () => {
    expect(validateStartRequest({ name: 'order' })).toEqual({ name: 'order' });
    const full = {
      name: 'order',
      version: null,
      input: { amount: 42 },
      correlationId: 'c-1',
      priority: 99,
      taskToDomain: { '*': 'beta' },
      idempotencyKey: 'k',
      idempotencyStrategy: 'RETURN_EXISTING',
      workflowDef: null,
    };
    expect(validateStartRequest(full)).toBe(full);
  });

  it('reports a root that is not an object at path ""', () => {
    expect(pathsOf(() => validateStartRequest('order'))).toEqual(['']);
  });

  it('requires a name unless an inline workflowDef gives one', () => {
    expect(pathsOf(() => validateStartRequest({ input: {} }))).toEqual(['name']);
    const req = validateStartRequest({ workflowDef: workflowOf(simple('a')) });
    expect(req.name).toBe('wf');
  });

  it('checks an inline workflowDef with paths under workflowDef.', () => {
    expect(
      pathsOf(() => validateStartRequest({ workflowDef: { name: 'wf', tasks: [{ name: 'a' }] } })),
    ).toEqual(['workflowDef.tasks[0].taskReferenceName']);
  });

  it('requires version to be an integer >= 1 or null', () => {
    expect(pathsOf(() => validateStartRequest({ name: 'a', version: 0 }))).toEqual(['version']);
    expect(pathsOf(() => validateStartRequest({ name: 'a', version: '2' }))).toEqual(['version']);
  });

  it('requires input to be a map', () => {
    expect(pathsOf(() => validateStartRequest({ name: 'a', input: [1] }))).toEqual(['input']);
  });

  it.each([100, -1, 1.5, '5'])('rejects priority %j at path priority', (priority) => {
    expect(pathsOf(() => validateStartRequest({ name: 'a', priority }))).toEqual(['priority']);
  });

  it('requires taskToDomain to map to strings, correlationId to be a string and a known idempotencyStrategy', () => {
    const req = { name: 'a', taskToDomain: { t1: 1 }, correlationId: 5, idempotencyStrategy: 'MAYBE' };
    expect(pathsOf(() => validateStartRequest(req))).toEqual([
      'taskToDomain.t1',
      'correlationId',
      'idempotencyStrategy',
    ]);
  });
});

describe('validateTaskResult', () => {
  it('accepts a worker result', () => {
    const result = {
      taskId: 't-1',
      status: 'IN_PROGRESS',
      outputData: { a: 1 },
      callbackAfterSeconds: 5,
      reasonForIncompletion: null,
      logs: ['step 1', { log: 'step 2', createdTime: 1 }],
    };
    expect(validateTaskResult(result)).toBe(result);
  });

  it('reports an unknown status at path status', () => {
    expect(issuesOf(() => validateTaskResult({ taskId: 't', status: 'DONE' }))).toEqual([
      {
        path: 'status',
        message: 'must be one of IN_PROGRESS, FAILED, FAILED_WITH_TERMINAL_ERROR, COMPLETED, CANCELED',
      },
    ]);
  });

  it('requires taskId and status', () => {
    expect(pathsOf(() => validateTaskResult({}))).toEqual(['taskId', 'status']);
    expect(pathsOf(() => validateTaskResult(null))).toEqual(['']);
  });

  it('requires outputData to be a map and callbackAfterSeconds >= 0', () => {
    const result = { taskId: 't', status: 'COMPLETED', outputData: 'x', callbackAfterSeconds: -1 };
    expect(pathsOf(() => validateTaskResult(result))).toEqual(['outputData', 'callbackAfterSeconds']);
  });

  it('requires reasonForIncompletion to be a string or null', () => {
    expect(
      pathsOf(() => validateTaskResult({ taskId: 't', status: 'FAILED', reasonForIncompletion: 5 })),
    ).toEqual(['reasonForIncompletion']);
  });

  it('requires logs to be strings or objects with a string log', () => {
    const result = { taskId: 't', status: 'COMPLETED', logs: ['ok', 3, { log: 4 }, { log: 'ok' }] };
    expect(pathsOf(() => validateTaskResult(result))).toEqual(['logs[1]', 'logs[2].log']);
    expect(pathsOf(() => validateTaskResult({ taskId: 't', status: 'COMPLETED', logs: 'x' }))).toEqual([
      'logs',
    ]);
  });
});
