/**
 * Checks that every `${...}` in a parameter string is closed, so a definition with a broken expression is
 * rejected at registration instead of silently rendering the literal text at run time.
 *
 * The scan mirrors Conductor's ParametersUtils pattern: a `${` preceded by `$` is an escape (`$${x}` renders
 * the literal `${x}`), an expression ends at the `}` that balances its `{` (so nested `${...}` paths and
 * braces inside a path are fine), an empty `${}` is allowed (it resolves to ""), and a stray `}` outside an
 * expression is plain text.
 *
 * @returns null when the string is well formed, else a message naming the first unclosed `${`.
 */
export function findExpressionSyntaxError(s: string): string | null {
  let i = 0;
  while (i < s.length) {
    if (!isExpressionStart(s, i)) {
      i++;
      continue;
    }
    const end = findClosingBrace(s, i + 2);
    if (end === -1) return `unclosed "\${" at index ${i}`;
    i = end + 1;
  }
  return null;
}

function isExpressionStart(s: string, i: number): boolean {
  return s[i] === '$' && s[i + 1] === '{' && s[i - 1] !== '$';
}

/** Index of the `}` that closes an expression whose body starts at `from` (depth 1), or -1. */
function findClosingBrace(s: string, from: number): number {
  let depth = 1;
  for (let j = from; j < s.length; j++) {
    if (s[j] === '{') depth++;
    else if (s[j] === '}' && --depth === 0) return j;
  }
  return -1;
}
