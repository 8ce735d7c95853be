import { accessorFor } from './path-accessor.js';

/**
 * Evaluates one JSONPath-ish path (without `${}`) against a plain object: `$.a.b`, `a.b`, `$['x'][0]`,
 * `$.items[*].id`. Same rules as inside `${}`: a definite path gives the value or null, an indefinite one the
 * list of matches.
 */
export function readPath(doc: unknown, path: string): unknown {
  return accessorFor(relativePart(path.trim()))(doc);
}

/** The part after the root, as the accessors expect it: '' or starting with `.` or `[`. */
function relativePart(path: string): string {
  if (path.startsWith('$')) return path.slice(1);
  if (path === '' || path.startsWith('[') || path.startsWith('.')) return path;
  return `.${path}`;
}
