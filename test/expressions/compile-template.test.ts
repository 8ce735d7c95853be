import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../src/expressions/bounded-cache.js';
import { compileTemplate } from '../../src/expressions/compile-template.js';

describe('compileTemplate', () => {
  it('classifies a lone expression as single', () => {
    expect(compileTemplate('${a.b}').kind).toBe('single');
    expect(compileTemplate('${a.${b}}').kind).toBe('single');
  });

  it('classifies text around expressions as embedded', () => {
    expect(compileTemplate(' ${a.b}').kind).toBe('embedded');
    expect(compileTemplate('${a}${b}').kind).toBe('embedded');
    expect(compileTemplate('$${x}${b}').kind).toBe('embedded');
  });

  it('classifies escapes and unclosed expressions as literal text', () => {
    expect(compileTemplate('$${x}')).toEqual({ kind: 'literal', text: '${x}' });
    expect(compileTemplate('${x')).toEqual({ kind: 'literal', text: '${x' });
  });

  it('shares one compiled path between templates', () => {
    const one = compileTemplate('${t.output.x}');
    const two = compileTemplate('id-${t.output.x}');
    if (one.kind !== 'single' || two.kind !== 'embedded') throw new Error('unexpected kinds');
    expect(two.parts[1]).toMatchObject({ path: one.expression.path });
  });
});

describe('BoundedCache', () => {
  it('never grows past its capacity and drops the oldest entry first', () => {
    const cache = new BoundedCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.getOrCompute('a', () => 10)).toBe(10);
    expect(cache.getOrCompute('c', () => 30)).toBe(3);
  });
});
