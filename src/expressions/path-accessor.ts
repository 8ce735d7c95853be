import type { Accessor } from './accessor.js';
import { BoundedCache } from './bounded-cache.js';
import { jsonPathAccessor } from './jsonpath-accessor.js';
import { isIndefiniteSegment, isPlainSegment, parseSegments } from './path-segments.js';
import { plainAccessor } from './plain-accessor.js';

const accessors = new BoundedCache<Accessor>(10_000);

const wholeRoot: Accessor = (root) => (root === undefined ? null : root);

/**
 * The compiled reader for a path relative to a root document (`.output.a[0]`, `['x'].y`, `..id`, or '' for
 * the root itself). Parsed once per distinct string; plain paths get a direct walk, others jsonpath-plus.
 */
export function accessorFor(rest: string): Accessor {
  return accessors.getOrCompute(rest, compileAccessor);
}

function compileAccessor(rest: string): Accessor {
  if (rest === '') return wholeRoot;
  const segments = parseSegments(rest);
  if (segments.length === 0) return wholeRoot;
  if (segments.every(isPlainSegment)) return plainAccessor(segments);
  return jsonPathAccessor(`$${rest}`, !segments.some(isIndefiniteSegment));
}
