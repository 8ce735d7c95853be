import { afterAll, describe, expect, it } from 'vitest';
import { JqError, JqRunner, jqQuery } from '../../src/sandbox/index.js';

// One runner (one worker thread) for the file; jqQuery's shared runner is exercised once on its own.
const runner = new JqRunner({ timeoutMs: 5000 });
afterAll(() => runner.close());

async function jqFailure(promise: Promise<unknown>): Promise<JqError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a JqError, got ${JSON.stringify(value)}`);
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(JqError);
  return error as JqError;
}

describe('jq: queries from Conductor docs', () => {
  it('builds an object from two inputs (JSON_JQ_TRANSFORM example)', async () => {
    const input = { key1: { value1: ['a', 'b'] }, key2: { value2: ['c', 'd'] } };
    expect(await runner.query('{ key3: (.key1.value1 + .key2.value2) }', input)).toEqual([
      { key3: ['a', 'b', 'c', 'd'] },
    ]);
  });

  it('filters with select and returns every output (resultList)', async () => {
    const input = {
      users: [
        { name: 'ann', age: 31 },
        { name: 'bob', age: 20 },
        { name: 'cyd', age: 40 },
      ],
    };
    expect(await runner.query('.users[] | select(.age > 30) | .name', input)).toEqual(['ann', 'cyd']);
    expect(await runner.query('[.users[] | .age] | add / length', input)).toEqual([91 / 3]);
  });

  it('returns an empty list when the query yields nothing, and plain values for scalars', async () => {
    expect(await runner.query('empty', {})).toEqual([]);
    expect(await runner.query('.a, .b, "x\\ny"', { a: null, b: 2 })).toEqual([null, 2, 'x\ny']);
    expect(await runner.query('.', 'text')).toEqual(['text']);
  });

  it('accepts definitions and comments in the query', async () => {
    expect(await runner.query('def twice: . * 2; # doubles\n.n | twice', { n: 21 })).toEqual([42]);
  });

  it('works through the shared jqQuery entry point', async () => {
    expect(await jqQuery('.a', { a: 1 })).toEqual([1]);
  });
});

describe('jq: errors', () => {
  it("reports jq's runtime message for indexing a string", async () => {
    const error = await jqFailure(runner.query('.array | .array', { array: 'not an object' }));
    expect(error.message).toBe('Cannot index string with string "array"');
  });

  it('fails the whole query when a later output errors', async () => {
    const error = await jqFailure(runner.query('.[] | .a', [{ a: 1 }, 'x']));
    expect(error.message).toBe('Cannot index string with string "a"');
  });

  it('reports error(value) and compile errors', async () => {
    expect((await jqFailure(runner.query('error({ code: 7 })', {}))).message).toBe(
      '{"code":7} (not a string)',
    );
    const syntax = await jqFailure(runner.query('.a |', {}));
    expect(syntax.message).toMatch(/^syntax error, unexpected end of file/);
  });

  it('times out a query that never ends, then keeps working', async () => {
    const quick = new JqRunner({ timeoutMs: 200 });
    try {
      const error = await jqFailure(quick.query('until(false; .)', 0));
      expect(error.message).toBe('jq query timed out after 200 ms');
      expect(await quick.query('. + 1', 1)).toEqual([2]);
    } finally {
      await quick.close();
    }
  });

  it('rejects input that is not JSON data', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect((await jqFailure(runner.query('.', cyclic))).message).toMatch(/^The jq input is not JSON data/);
  });
});

describe('jq: robustness of jq-wasm', () => {
  it('handles a large input in linear time (jq-wasm I/O patched)', async () => {
    const input = { items: Array.from({ length: 20_000 }, (_, id) => ({ id, name: `item${id}` })) };
    const started = performance.now();
    expect(await runner.query('.items | map(.id) | add', input)).toEqual([199_990_000]);
    const [copy] = (await runner.query('.', input)) as [typeof input];
    expect(copy.items).toHaveLength(20_000);
    // Unpatched, 600 KB in and out takes minutes; patched, well under a second.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('survives many queries (jq-wasm would overflow its stack after a few hundred)', async () => {
    const query = `.n | tostring | ${'ascii_downcase | '.repeat(20)}length`;
    for (let n = 0; n < 600; n++) {
      expect(await runner.query(query, { n })).toEqual([String(n).length]);
    }
  });
});
