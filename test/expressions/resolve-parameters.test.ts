import { describe, expect, it } from 'vitest';
import { resolveParameters, resolveValue } from '../../src/expressions/index.js';
import { makeScope, TASKS, WORKFLOW } from './fixtures.js';

const scope = makeScope();
const resolve = (value: unknown) => resolveValue(value, scope);

describe('workflow root', () => {
  it('reads workflow.input fields with their types', () => {
    expect(resolve('${workflow.input.name}')).toBe('ada');
    expect(resolve('${workflow.input.count}')).toBe(3);
    expect(resolve('${workflow.input.flag}')).toBe(false);
    expect(resolve('${workflow.input.nothing}')).toBeNull();
  });

  it('returns the whole input map for ${workflow.input}', () => {
    expect(resolve('${workflow.input}')).toEqual(WORKFLOW.input);
  });

  it('reads variables, workflowId, correlationId and other workflow fields', () => {
    expect(resolve('${workflow.variables.counter}')).toBe(7);
    expect(resolve('${workflow.variables.tags}')).toEqual(['a', 'b']);
    expect(resolve('${workflow.workflowId}')).toBe('wf-1');
    expect(resolve('${workflow.correlationId}')).toBe('corr-9');
    expect(resolve('${workflow.workflowType}')).toBe('order');
    expect(resolve('${workflow.version}')).toBe(2);
    expect(resolve('${workflow.parentWorkflowId}')).toBeNull();
  });

  it('reads nested maps and array indices', () => {
    expect(resolve('${workflow.input.nested.a.b[1]}')).toBe(20);
    expect(resolve('${workflow.input.nested.a}')).toEqual({ b: [10, 20, 30] });
    expect(resolve('${workflow.input.list[0]}')).toBe('x');
  });

  it('reads a bracket-quoted key', () => {
    expect(resolve("${workflow.input['key with space']}")).toBe('spaced');
  });

  it('accepts an explicit $. prefix and surrounding blanks', () => {
    expect(resolve('${$.workflow.input.name}')).toBe('ada');
    expect(resolve('${ workflow.input.name }')).toBe('ada');
  });
});

describe('task roots', () => {
  it('reads ref.output.a.b[0] and deeper', () => {
    expect(resolve('${fetch.output.a.b[0]}')).toEqual({ c: 'deep' });
    expect(resolve('${fetch.output.a.b[0].c}')).toBe('deep');
    expect(resolve('${fetch.output.a.b[1]}')).toBe('second');
  });

  it('reads ref.input and task fields', () => {
    expect(resolve('${fetch.input.url}')).toBe('https://example.test');
    expect(resolve('${fetch.input.retries}')).toBe(2);
    expect(resolve('${fetch.status}')).toBe('COMPLETED');
    expect(resolve('${fetch.referenceTaskName}')).toBe('fetch');
    expect(resolve('${fetch.output.ok}')).toBe(true);
  });

  it('returns the whole task document for ${ref}', () => {
    expect(resolve('${fetch}')).toEqual(TASKS.fetch);
  });

  it('supports a bracket-quoted root for reference names that are not identifiers', () => {
    expect(resolve("${['my-ref'].output.value}")).toBe('dashed');
    expect(resolve('${my-ref.output.value}')).toBe('dashed');
  });

  it('reads a negative index from the end, as Jayway does', () => {
    expect(resolve('${workflow.input.list[-1]}')).toBe('z');
  });
});

describe('missing values', () => {
  it('gives null for a missing path', () => {
    expect(resolve('${workflow.input.absent}')).toBeNull();
    expect(resolve('${workflow.input.absent.deeper[3]}')).toBeNull();
    expect(resolve('${workflow.input.list[9]}')).toBeNull();
    expect(resolve('${fetch.output.nope}')).toBeNull();
  });

  it('gives null for a missing task', () => {
    expect(resolve('${ghost.output.x}')).toBeNull();
    expect(resolve('${ghost}')).toBeNull();
  });

  it('does not read built-ins of arrays, strings or Object.prototype', () => {
    expect(resolve('${workflow.input.list.length}')).toBeNull();
    expect(resolve('${workflow.input.name.length}')).toBeNull();
    expect(resolve('${workflow.input.constructor}')).toBeNull();
    expect(resolve('${workflow.input.__proto__}')).toBeNull();
    expect(resolve('${workflow.input.toString}')).toBeNull();
  });

  it('gives null for a path into a scalar or with an index on a map', () => {
    expect(resolve('${workflow.input.count.x}')).toBeNull();
    expect(resolve('${workflow.input.list.x}')).toBeNull();
  });
});

describe('embedded expressions', () => {
  it('substitutes several expressions in one string', () => {
    expect(resolve('${workflow.input.name}-${workflow.input.count}-${fetch.output.ok}')).toBe('ada-3-true');
  });

  it('renders maps and lists as compact JSON and null as "null"', () => {
    expect(
      resolve('map=${fetch.output.map} list=${workflow.input.list} none=${workflow.input.nothing}'),
    ).toBe('map={"x":1,"y":[1,2]} list=["x","y","z"] none=null');
  });

  it('renders a missing path and a missing task as "null"', () => {
    expect(resolve('a=${workflow.input.absent} b=${ghost.output.x}')).toBe('a=null b=null');
  });

  it('keeps text around an expression', () => {
    expect(resolve('id-${workflow.workflowId}')).toBe('id-wf-1');
    expect(resolve('${workflow.workflowId}!')).toBe('wf-1!');
  });

  it('renders numbers with String()', () => {
    expect(resolve('n=${workflow.input.count}, v=${workflow.variables.counter}')).toBe('n=3, v=7');
  });
});

describe('escapes, blanks and malformed text', () => {
  it('renders $${x} as the literal ${x}', () => {
    expect(resolve('$${workflow.input.name}')).toBe('${workflow.input.name}');
    expect(resolve('cost: $${price} for ${workflow.input.name}')).toBe('cost: ${price} for ada');
  });

  it('keeps an extra leading $ before an escape', () => {
    expect(resolve('$$${x}')).toBe('$${x}');
  });

  it('gives "" for an empty or blank ${}', () => {
    expect(resolve('${}')).toBe('');
    expect(resolve('${  }')).toBe('');
    expect(resolve('a${}b')).toBe('ab');
  });

  it('leaves an unclosed ${ as text but still resolves later expressions', () => {
    expect(resolve('${workflow.input.name')).toBe('${workflow.input.name');
    expect(resolve('${oops ${workflow.input.name}')).toBe('${oops ada');
  });

  it('returns strings without expressions unchanged', () => {
    expect(resolve('plain $ text {}')).toBe('plain $ text {}');
  });
});

describe('nested ${} inside a path', () => {
  it('resolves the inner expression first', () => {
    expect(resolve('${workflow.input.${workflow.input.key}}')).toBe('ada');
  });

  it('works embedded and with an index', () => {
    const s = makeScope({ tasks: { t: { output: { i: 2 } } } });
    expect(resolveValue('v=${workflow.input.list[${t.output.i}]}', s)).toBe('v=z');
    expect(resolveValue('${workflow.input.list[${t.output.i}]}', s)).toBe('z');
  });

  it('gives null when the inner value makes a missing path', () => {
    expect(resolve('${workflow.input.${workflow.input.absent}}')).toBeNull();
  });
});

describe('CPEWF_TASK_ID', () => {
  it('resolves to the id of the task being created', () => {
    const s = makeScope({ taskId: 'task-42' });
    expect(resolveValue('${CPEWF_TASK_ID}', s)).toBe('task-42');
    expect(resolveValue('id:${CPEWF_TASK_ID}', s)).toBe('id:task-42');
  });

  it('is left literal without a task id', () => {
    expect(resolve('${CPEWF_TASK_ID}')).toBe('${CPEWF_TASK_ID}');
    expect(resolveValue('id:${CPEWF_TASK_ID}', makeScope({ taskId: null }))).toBe('id:${CPEWF_TASK_ID}');
  });
});

describe('environment variables', () => {
  const env = (name: string) => ({ STACK: 'prod', REGION: 'eu' })[name];

  it('resolves an allowed name', () => {
    const s = makeScope({ env });
    expect(resolveValue('${STACK}', s)).toBe('prod');
    expect(resolveValue('${STACK}-${REGION}', s)).toBe('prod-eu');
  });

  it('gives null for a name that is not allowed or without an env hook', () => {
    expect(resolveValue('${SECRET_KEY}', makeScope({ env }))).toBeNull();
    expect(resolve('${STACK}')).toBeNull();
    expect(resolveValue('x=${HOME}', makeScope({ env }))).toBe('x=null');
  });

  it('only applies to single-segment paths', () => {
    const s = makeScope({ env: () => 'from-env' });
    expect(resolveValue('${workflow.workflowId}', s)).toBe('wf-1');
  });

  it('takes precedence over a task with the same reference name', () => {
    const s = makeScope({ env: (n) => (n === 'fetch' ? 'env-wins' : undefined) });
    expect(resolveValue('${fetch}', s)).toBe('env-wins');
  });
});

describe('JSONPath beyond plain paths', () => {
  it('returns a list for a wildcard', () => {
    expect(resolve('${fetch.output.items[*].id}')).toEqual([1, 2, 3]);
  });

  it('returns the matching elements for a filter', () => {
    expect(resolve('${fetch.output.items[?(@.price > 10)]}')).toEqual([
      { id: 2, price: 20 },
      { id: 3, price: 50 },
    ]);
    expect(resolve('${fetch.output.items[?(@.price > 10)].id}')).toEqual([2, 3]);
  });

  it('supports slices and recursive descent', () => {
    expect(resolve('${workflow.input.list[-1:]}')).toEqual(['z']);
    expect(resolve('${workflow.input.list[0:2]}')).toEqual(['x', 'y']);
    expect(resolve('${fetch.output..c}')).toEqual(['deep']);
  });

  it('gives an empty list when an indefinite path matches nothing (Jayway)', () => {
    expect(resolve('${fetch.output.missing[*].id}')).toEqual([]);
    expect(resolve('${ghost.output.items[*].id}')).toEqual([]);
  });

  it('renders a list result as JSON when embedded', () => {
    expect(resolve('ids=${fetch.output.items[*].id}')).toBe('ids=[1,2,3]');
  });
});

describe('structure walking', () => {
  it('walks nested maps and lists of parameters', () => {
    const params = {
      name: '${workflow.input.name}',
      nested: {
        count: '${workflow.input.count}',
        list: ['${workflow.workflowId}', 5, null, { deep: '${fetch.output.total}' }],
      },
      matrix: [['${workflow.input.list[0]}'], []],
    };
    expect(resolveParameters(params, scope)).toEqual({
      name: 'ada',
      nested: { count: 3, list: ['wf-1', 5, null, { deep: 75 }] },
      matrix: [['x'], []],
    });
  });

  it('copies non-string leaves and keeps null', () => {
    const date = new Date(0);
    const out = resolveParameters({ n: 1, b: true, z: null, d: date, s: 'plain' }, scope);
    expect(out).toEqual({ n: 1, b: true, z: null, d: date, s: 'plain' });
    expect(out.d).toBe(date);
  });

  it('returns a new structure and never mutates the input', () => {
    const params = { a: { b: ['${workflow.input.name}'] }, c: 'literal' };
    const snapshot = structuredClone(params);
    const out = resolveParameters(params, scope);
    expect(params).toEqual(snapshot);
    expect(out).not.toBe(params);
    expect(out.a).not.toBe(params.a);
    expect((out.a as { b: unknown[] }).b).not.toBe(params.a.b);
  });

  it('returns {} for null or undefined parameters', () => {
    expect(resolveParameters(null, scope)).toEqual({});
    expect(resolveParameters(undefined, scope)).toEqual({});
  });

  it('keeps an own __proto__ key as data', () => {
    const params = JSON.parse('{"__proto__": "${workflow.input.name}"}') as Record<string, unknown>;
    const out = resolveParameters(params, scope);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe('ada');
  });

  it('returns non-string values from resolveValue as they are', () => {
    expect(resolveValue(5, scope)).toBe(5);
    expect(resolveValue(null, scope)).toBeNull();
    expect(resolveValue(undefined, scope)).toBeUndefined();
  });
});

describe('laziness and caching', () => {
  it('builds the workflow document at most once per call and only when needed', () => {
    const s = makeScope();
    resolveParameters({ a: '${workflow.input.name}', b: '${workflow.input.count}', c: 'x' }, s);
    expect(s.calls.workflow).toBe(1);
    const s2 = makeScope();
    resolveParameters({ a: '${fetch.output.total}', b: 'literal' }, s2);
    expect(s2.calls.workflow).toBe(0);
    expect(s2.calls.task).toEqual(['fetch']);
  });

  it('looks tasks up by reference name only', () => {
    const s = makeScope();
    resolveParameters({ a: '${fetch.output.total}', b: '${my-ref.output.value}' }, s);
    expect(s.calls.task).toEqual(['fetch', 'my-ref']);
  });

  it('gives the same answers for a cached template against different scopes', () => {
    const template = 'n=${t.output.n}';
    expect(resolveValue(template, makeScope({ tasks: { t: { output: { n: 1 } } } }))).toBe('n=1');
    expect(resolveValue(template, makeScope({ tasks: { t: { output: { n: 2 } } } }))).toBe('n=2');
  });
});
