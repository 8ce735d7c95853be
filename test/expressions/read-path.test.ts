import { describe, expect, it } from 'vitest';
import { readPath } from '../../src/expressions/index.js';

const doc = {
  a: { b: [1, { c: 'x' }] },
  loopTask: { iteration: 2 },
  items: [{ n: 1 }, { n: 5 }],
  'odd key': true,
};

describe('readPath', () => {
  it('reads $-rooted and bare paths', () => {
    expect(readPath(doc, '$.a.b[0]')).toBe(1);
    expect(readPath(doc, 'a.b[1].c')).toBe('x');
    expect(readPath(doc, "$.loopTask['iteration']")).toBe(2);
    expect(readPath(doc, "$['odd key']")).toBe(true);
  });

  it('returns the document itself for $', () => {
    expect(readPath(doc, '$')).toBe(doc);
  });

  it('gives null for missing paths and missing documents', () => {
    expect(readPath(doc, '$.a.zz')).toBeNull();
    expect(readPath(undefined, '$.a')).toBeNull();
    expect(readPath(null, 'a.b')).toBeNull();
  });

  it('returns a list for indefinite paths', () => {
    expect(readPath(doc, '$.items[*].n')).toEqual([1, 5]);
    expect(readPath(doc, '$.items[?(@.n > 2)].n')).toEqual([5]);
    expect(readPath(doc, '$.nothing[*]')).toEqual([]);
  });
});
