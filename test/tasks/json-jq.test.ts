import { describe, expect, it } from 'vitest';
import type { Task, Workflow, WorkflowTask } from '../../src/index.js';
import { define, setup } from '../helpers/engine.js';

function jq(
  queryExpression: string,
  inputParameters: Record<string, unknown> = {},
  ref = 'jq',
): WorkflowTask {
  return {
    name: ref,
    taskReferenceName: ref,
    type: 'JSON_JQ_TRANSFORM',
    inputParameters: { ...inputParameters, queryExpression },
  };
}

async function run(
  tasks: WorkflowTask[],
  input: Record<string, unknown> = {},
  options: Parameters<typeof define>[3] = {},
): Promise<Workflow> {
  const { engine } = await setup();
  await define(engine, 'jq_wf', tasks, options);
  const id = await engine.startWorkflow({ name: 'jq_wf', input });
  return engine.waitForWorkflow(id, { timeoutMs: 10_000 });
}

function only(wf: Workflow): Task {
  expect(wf.tasks).toHaveLength(1);
  return wf.tasks[0];
}

describe('JSON_JQ_TRANSFORM: queries from Conductor docs', () => {
  it('concatenates two input lists into a new object (the documented example)', async () => {
    const wf = await run(
      [
        jq('{ key3: (.key1.value1 + .key2.value2) }', {
          key1: '${workflow.input.key1}',
          key2: '${workflow.input.key2}',
        }),
      ],
      { key1: { value1: ['a', 'b'] }, key2: { value2: ['c', 'd'] } },
      { def: { outputParameters: { key3: '${jq.output.result.key3}' } } },
    );
    expect(wf.status).toBe('COMPLETED');
    expect(only(wf)).toMatchObject({
      taskType: 'JSON_JQ_TRANSFORM',
      status: 'COMPLETED',
      outputData: { result: { key3: ['a', 'b', 'c', 'd'] }, resultList: [{ key3: ['a', 'b', 'c', 'd'] }] },
    });
    expect(wf.output).toEqual({ key3: ['a', 'b', 'c', 'd'] });
  });

  it('reshapes a list of records (map with object construction)', async () => {
    const persons = [
      { name: 'some', last: 'name', email: 'mail@mail.com', id: 1 },
      { name: 'some2', last: 'name2', email: 'mail2@mail.com', id: 2 },
    ];
    const wf = await run(
      [jq('.persons | map({user: {email, id}})', { persons: '${workflow.input.persons}' })],
      {
        persons,
      },
    );
    expect(only(wf).outputData.result).toEqual([
      { user: { email: 'mail@mail.com', id: 1 } },
      { user: { email: 'mail2@mail.com', id: 2 } },
    ]);
  });

  it('returns every output in resultList and the first as result', async () => {
    const wf = await run([jq('.users[] | select(.age > 30) | .name', { users: '${workflow.input.users}' })], {
      users: [
        { name: 'ann', age: 31 },
        { name: 'bob', age: 20 },
        { name: 'cyd', age: 40 },
      ],
    });
    expect(only(wf).outputData).toEqual({ result: 'ann', resultList: ['ann', 'cyd'] });
  });

  it('gives result null and an empty resultList when the query yields nothing', async () => {
    const wf = await run([jq('.items[] | select(. > 10)', { items: [1, 2] })]);
    expect(only(wf).outputData).toEqual({ result: null, resultList: [] });
  });

  it('sees the whole task input, queryExpression included, and feeds the next task', async () => {
    const wf = await run(
      [
        jq('[keys[], (.queryExpression | length > 0)]', { a: 1, b: 2 }, 'shape'),
        jq('.prev | length', { prev: '${shape.output.result}' }, 'count'),
      ],
      {},
      { def: { outputParameters: { shape: '${shape.output.result}', count: '${count.output.result}' } } },
    );
    expect(wf.status).toBe('COMPLETED');
    expect(wf.output).toEqual({ shape: ['a', 'b', 'queryExpression', true], count: 4 });
  });
});

describe('JSON_JQ_TRANSFORM: errors', () => {
  it('fails with jq\'s own message (Cannot index string with string "array") as reason and output.error', async () => {
    const wf = await run([jq('.in1.array | .array', { in1: '${workflow.input.in1}' })], {
      in1: { array: 'not an object' },
    });
    expect(wf.status).toBe('FAILED');
    expect(only(wf)).toMatchObject({
      status: 'FAILED',
      reasonForIncompletion: 'Cannot index string with string "array"',
      outputData: { error: 'Cannot index string with string "array"' },
    });
  });

  it('fails a query that does not compile', async () => {
    const task = only(await run([jq('.a | | .b')]));
    expect(task.status).toBe('FAILED');
    expect(task.reasonForIncompletion).toMatch(/syntax error/);
    expect(task.outputData.error).toBe(task.reasonForIncompletion);
  });

  it('fails when queryExpression resolves to nothing', async () => {
    const task = only(await run([jq('${workflow.input.query}')]));
    expect(task).toMatchObject({
      status: 'FAILED',
      reasonForIncompletion: "Missing 'queryExpression' in input parameters",
    });
  });

  it("is retried per the step's TaskDef (FAILED, not terminal)", async () => {
    const wf = await run(
      [jq('error("always")', {}, 'flaky_jq')],
      {},
      {
        taskDefs: [{ name: 'flaky_jq', retryCount: 1, retryDelaySeconds: 0 }],
      },
    );
    expect(wf.status).toBe('FAILED');
    expect(wf.tasks.map((t) => [t.status, t.retryCount, t.reasonForIncompletion])).toEqual([
      ['FAILED', 0, 'always'],
      ['FAILED', 1, 'always'],
    ]);
  });
});
