import { JSONPath } from 'jsonpath-plus';
import type { Accessor } from './accessor.js';

/**
 * Evaluates a path with jsonpath-plus (wildcards, filters, recursive descent, slices...). Shapes the answer
 * like Jayway does for Conductor: a definite path gives its single value or null, an indefinite one the list
 * of matches (empty when nothing matches). Errors are suppressed like Jayway's SUPPRESS_EXCEPTIONS.
 */
export function jsonPathAccessor(path: string, definite: boolean): Accessor {
  return (root) => {
    if (root === null || root === undefined) return definite ? null : [];
    try {
      // eval stays at jsonpath-plus's default 'safe' evaluator: filters never run host JavaScript.
      const matches: unknown[] = JSONPath({ path, json: root as object, wrap: true, ignoreEvalErrors: true });
      if (!definite) return matches;
      return matches.length > 0 && matches[0] !== undefined ? matches[0] : null;
    } catch {
      return definite ? null : [];
    }
  };
}
