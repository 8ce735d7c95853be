import type { Accessor } from './accessor.js';
import { BoundedCache } from './bounded-cache.js';
import { accessorFor } from './path-accessor.js';

/** The text between `${` and `}`, compiled once. */
export interface ExpressionPath {
  /** `${}` or `${  }`: Conductor substitutes an empty string. */
  readonly blank: boolean;
  /** The whole path when it is one bare name (no `.` or `[`): a candidate for CPEWF_TASK_ID or an env var. */
  readonly bareName: string | null;
  /** `workflow`, or the task reference name the path starts with. */
  readonly root: string;
  /** Reads the rest of the path from the root document. */
  readonly read: Accessor;
}

const paths = new BoundedCache<ExpressionPath>(10_000);

const BLANK: ExpressionPath = { blank: true, bareName: null, root: '', read: () => '' };

/** The compiled form of an expression path such as `t1.output.items[0]` or `workflow.input`. */
export function expressionPathFor(text: string): ExpressionPath {
  return paths.getOrCompute(text, compileExpressionPath);
}

function compileExpressionPath(text: string): ExpressionPath {
  // Jayway trims the path and accepts an explicit `$.` prefix; Conductor adds `$.` when it is absent.
  const trimmed = text.trim();
  if (trimmed === '') return BLANK;
  let body = trimmed;
  if (body.startsWith('$.')) body = body.slice(2);
  else if (body.startsWith('$[')) body = body.slice(1);
  const [root, rest] = body.startsWith('[') ? splitBracketRoot(body) : splitNamedRoot(body);
  const bareName = root === trimmed ? root : null;
  return { blank: false, bareName, root, read: accessorFor(rest) };
}

/** `workflow.input.x` -> ['workflow', '.input.x']; the root ends at the first `.` or `[`. */
function splitNamedRoot(body: string): [string, string] {
  let end = 0;
  while (end < body.length) {
    const c = body.charCodeAt(end);
    if (c === 0x2e || c === 0x5b) break; // . or [
    end++;
  }
  return [body.slice(0, end), body.slice(end)];
}

/** `['my-ref'].output` -> ['my-ref', '.output']; an unquoted `[name]` is taken as the name. */
function splitBracketRoot(body: string): [string, string] {
  const quote = body[1];
  if (quote === "'" || quote === '"') {
    const end = body.indexOf(`${quote}]`, 2);
    if (end !== -1) return [body.slice(2, end), body.slice(end + 2)];
  }
  const end = body.indexOf(']');
  if (end === -1) return [body, ''];
  return [body.slice(1, end), body.slice(end + 1)];
}
