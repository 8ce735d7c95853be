import { JSONPath } from 'jsonpath-plus';
import { trackJsonPathCacheEntry } from './jsonpath-cache.js';

/** A slice such as `1:`, `-1:`, `0:10:2` (the form jsonpath-plus recognises). */
const SLICE = /^-?\d*:-?\d*(:\d*)?$/;

/**
 * Splits a relative path (`.output.a[0]`, `['key with space']`, `..id`) into jsonpath-plus tokens, without
 * the leading `$`. Parsing is delegated to jsonpath-plus so both evaluators agree on what a token is.
 */
export function parseSegments(rest: string): string[] {
  trackJsonPathCacheEntry();
  const segments = JSONPath.toPathArray(`$${rest}`);
  if (segments[0] === '$') segments.shift();
  return segments;
}

/**
 * True for a token that only names a property or an integer index, so a direct walk gives the same answer
 * as jsonpath-plus. Anything with an operator (`*`, `..`, filters, slices, unions, `^`, `~`, `@type()`,
 * backtick escapes, scripts) goes to jsonpath-plus.
 */
export function isPlainSegment(segment: string): boolean {
  if (segment === '' || segment === '*' || segment === '..' || segment === '$') return false;
  if (segment === '^' || segment === '~') return false;
  const first = segment.charCodeAt(0);
  // ( ? @ `  start scripts, filters, type selectors and escaped names.
  if (first === 0x28 || first === 0x3f || first === 0x40 || first === 0x60) return false;
  return !segment.includes(',') && !SLICE.test(segment);
}

/**
 * Jayway's notion of an indefinite path: one that can match several values, so its result is always a list
 * (possibly empty) instead of a single value or null.
 */
export function isIndefiniteSegment(segment: string): boolean {
  return (
    segment === '*' ||
    segment === '..' ||
    segment.startsWith('?(') ||
    (segment.includes(',') && !segment.startsWith('`')) ||
    SLICE.test(segment)
  );
}
